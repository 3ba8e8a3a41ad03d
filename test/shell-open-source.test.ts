/** How the desktop shell opens a reply's source: a PDF at its page where a handler takes the URL, else the file. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openSourceFile, type SourceOpener } from '../src/main/shell/open-source';

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

describe('opening a source file', () => {
  const pdf = join('/home/ana/Documents', 'annual report.pdf');

  it('hands a PDF to the OS at its page (#page=N on a file URL)', async () => {
    const { os, calls } = recordingOs();
    await openSourceFile({ path: pdf, page: 7 }, os, () => undefined);
    expect(calls).toEqual([`url ${pathToFileURL(pdf).href}#page=7`]);
    expect(calls[0]).toContain('annual%20report.pdf#page=7');
  });

  it('opens the file itself when no handler takes the URL, and any other file as it is', async () => {
    const refusing = recordingOs({ refuseUrls: true });
    const lines: string[] = [];
    await openSourceFile({ path: pdf, page: 7 }, refusing.os, (line) => lines.push(line));
    expect(refusing.calls).toEqual([`url ${pathToFileURL(pdf).href}#page=7`, `path ${pdf}`]);
    expect(lines[0]).toContain('opening the file instead');

    const plain = recordingOs({ pathFailure: 'Failed to open path' });
    await openSourceFile({ path: '/home/ana/notes.md', page: null }, plain.os, (line) => lines.push(line));
    expect(plain.calls).toEqual(['path /home/ana/notes.md']);
    expect(lines.at(-1)).toBe('could not open /home/ana/notes.md: Failed to open path');
  });
});
