import { pathToFileURL } from 'node:url';
import type { OpenableSource } from '../../shared/chat-knowledge';

/** The OS calls a source is opened with (Electron's `shell`, or a test's stand-in). */
export interface SourceOpener {
  openExternal(url: string): Promise<void>;
  /** Resolves with an error message, empty when the file was opened. */
  openPath(path: string): Promise<string>;
}

/**
 * Opens a source's file with the OS's own app: a PDF at its page through a `file:` URL with `#page=N` (which
 * browsers and most PDF viewers honour), falling back to the plain file when no handler takes the URL; any other file
 * as it is. Resolves with the OS's error text, empty when the file was opened. Only ever a path stored in HubDesk.
 */
export async function openWithDefaultApp(
  source: Pick<OpenableSource, 'path' | 'page'>,
  os: SourceOpener,
  log: (line: string) => void,
): Promise<string> {
  if (source.page !== null && /\.pdf$/i.test(source.path)) {
    const url = `${pathToFileURL(source.path).href}#page=${source.page}`;
    try {
      await os.openExternal(url);
      return '';
    } catch (error) {
      log(`could not open ${url}, opening the file instead: ${String(error)}`);
    }
  }
  const failure = await os.openPath(source.path);
  if (failure) log(`could not open ${source.path}: ${failure}`);
  return failure;
}
