import { FILE_PLACEHOLDER, LINE_PLACEHOLDER } from '../../../shared/source-editor';

/**
 * A command line split into argv the way a POSIX shell splits words: spaces separate, '…' keeps everything, "…"
 * keeps everything but `\"` and `\\`, a backslash outside quotes keeps the next character. Nothing is expanded or
 * run. Undefined when a quote is left open.
 */
export function splitCommand(command: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let at = 0; at < command.length; at++) {
    const char = command[at] as string;
    if (quote === "'") {
      if (char === "'") quote = null;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === '\\' && (command[at + 1] === '"' || command[at + 1] === '\\')) word += command[++at];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && at + 1 < command.length) {
      word += command[++at];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) words.push(word);
  return words;
}

/** Why a custom command cannot be used, or undefined when it can. */
export function customCommandProblem(command: string): 'unclosedQuote' | 'noFile' | undefined {
  const words = splitCommand(command);
  if (!words) return 'unclosedQuote';
  if (words.length === 0 || !words.slice(1).some((word) => word.includes(FILE_PLACEHOLDER))) return 'noFile';
  return undefined;
}

/**
 * The argv of a custom command for one file and line: split first, then `{file}` and `{line}` put into each word,
 * so a path with spaces or quotes stays one argument and is never read by a shell.
 */
export function customArgv(command: string, file: string, line: number): string[] {
  const words = splitCommand(command) ?? [];
  return words.map((word) =>
    word.split(FILE_PLACEHOLDER).join(file).split(LINE_PLACEHOLDER).join(String(line)),
  );
}
