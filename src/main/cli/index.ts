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

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  ...(process.stdin.isTTY ? { ask } : {}),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  write: (chunk) => process.stdout.write(chunk),
  signal: interrupt.signal,
});
process.exitCode = code;
