/** How the desktop shell opens a source with the default app: a PDF at its page where a handler takes the URL, else the file. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openWithDefaultApp, type SourceOpener } from '../src/main/shell/open-source';

/** The OS as the shell sees it: records each call; `refuseUrls` plays a system with no handler for file URLs. */
function recordingOs(options: { refuseUrls?: boolean; pathFailure?: string } = {}) {
  const calls: string[] = [];
  const os: SourceOpener = {
    openExternal: async (url) => {
      calls.push(`url ${url}`);
      if (options.refuseUrls) throw new Error('no application is registered for this URL');
    },
    openPath: async (path) => {
      calls.push(`path ${path}`);
      return options.pathFailure ?? '';
    },
  };
  return { os, calls };
}

describe('opening a source file with the default app', () => {
  const pdf = join('/home/ana/Documents', 'annual report.pdf');

  it('hands a PDF to the OS at its page (#page=N on a file URL)', async () => {
    const { os, calls } = recordingOs();
    expect(await openWithDefaultApp({ path: pdf, page: 7 }, os, () => undefined)).toBe('');
    expect(calls).toEqual([`url ${pathToFileURL(pdf).href}#page=7`]);
    expect(calls[0]).toContain('annual%20report.pdf#page=7');
  });

  it('opens the file itself when no handler takes the URL, and any other file as it is; says when the OS failed', async () => {
    const refusing = recordingOs({ refuseUrls: true });
    const lines: string[] = [];
    expect(await openWithDefaultApp({ path: pdf, page: 7 }, refusing.os, (line) => lines.push(line))).toBe(
      '',
    );
    expect(refusing.calls).toEqual([`url ${pathToFileURL(pdf).href}#page=7`, `path ${pdf}`]);
    expect(lines[0]).toContain('opening the file instead');

    const plain = recordingOs({ pathFailure: 'Failed to open path' });
    const failure = await openWithDefaultApp({ path: '/home/ana/notes.md', page: null }, plain.os, (line) =>
      lines.push(line),
    );
    expect(failure).toBe('Failed to open path');
    expect(plain.calls).toEqual(['path /home/ana/notes.md']);
    expect(lines.at(-1)).toBe('could not open /home/ana/notes.md: Failed to open path');
  });
});
