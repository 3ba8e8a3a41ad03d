import type { KeytarLike } from '../secrets/token-store';

/** What a CLI command may touch of the outside world. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Writes without a line end (streamed text). */
  write: (chunk: string) => void;
  /** Aborted on Ctrl+C: a running reply is stopped and stored as interrupted. */
  signal?: AbortSignal;
  /** Asks one question on the terminal and gives the line typed; absent when stdin is not a terminal. */
  ask?: (question: string) => Promise<string>;
  /** A secret: typed at a prompt that does not show it on a terminal, else all of standard input. */
  readSecret?: (prompt: string) => Promise<string>;
  keytar?: KeytarLike | (() => Promise<KeytarLike>);
}
