import { spawn } from 'node:child_process';

/** Starts a program with its arguments, detached: resolves once it has started, rejects when it cannot start. */
export type LaunchProgram = (argv: readonly string[], env: NodeJS.ProcessEnv) => Promise<void>;

/**
 * Windows runs a `.cmd` or `.bat` (VS Code's `code.cmd`) only through cmd.exe. Each argument is quoted and cmd's
 * special characters escaped with `^` (as cross-spawn does), so a file name cannot end the command or start another.
 */
export function windowsBatchArgv(argv: readonly string[]): string[] {
  const meta = /([()\][%!^"`<>&|;, *?])/g;
  // A batch file reads its arguments a second time, so theirs are escaped twice.
  const escapeArgument = (arg: string) =>
    `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\*)$/, '$1$1')}"`
      .replace(meta, '^$1')
      .replace(meta, '^$1');
  const [program = '', ...args] = argv;
  const line = [program.replace(meta, '^$1'), ...args.map(escapeArgument)].join(' ');
  return ['cmd.exe', '/d', '/s', '/c', `"${line}"`];
}

export const launchProgram: LaunchProgram = (argv, env) =>
  new Promise((started, failed) => {
    const batch = process.platform === 'win32' && /\.(cmd|bat)$/i.test(argv[0] ?? '');
    const [program = '', ...args] = batch ? windowsBatchArgv(argv) : argv;
    const child = spawn(program, args, {
      detached: true,
      stdio: 'ignore',
      env,
      windowsHide: false,
      windowsVerbatimArguments: batch,
    });
    child.once('error', failed);
    child.once('spawn', () => {
      child.unref();
      started();
    });
  });
