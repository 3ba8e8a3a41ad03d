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

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  write: (chunk) => process.stdout.write(chunk),
  signal: interrupt.signal,
});
process.exitCode = code;
