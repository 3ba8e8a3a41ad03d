import { currentRuntime, runtimeProblem } from '../store/sqlite-binding';

// The rest of the CLI loads the HTTP client and the SQLite module, which an older Node cannot: check first.
const unfit = runtimeProblem(currentRuntime());
if (unfit) {
  process.stderr.write(`hubdesk: ${unfit.message}\n`);
  process.exit(1);
}
const { runCli } = await import('./run');

const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());

/** One line from the terminal, for `--approve ask`; only when stdin is one. */
async function ask(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await lines.question(question);
  } finally {
    lines.close();
  }
}

/** A line typed without echo (raw mode): Enter ends it, Backspace takes back, Ctrl+C stops the command. */
function askHidden(prompt: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve) => {
    let typed = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') {
          interrupt.abort();
          return finish();
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

/** All of standard input (a pipe or a file). */
async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  ...(process.stdin.isTTY ? { ask, readSecret: askHidden } : { readSecret: readAll }),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  write: (chunk) => process.stdout.write(chunk),
  signal: interrupt.signal,
});
process.exitCode = code;
