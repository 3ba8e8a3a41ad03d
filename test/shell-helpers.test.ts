import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileResponse } from '../src/main/files/file-response';
import { safeExternalUrl } from '../src/main/shell/external-url';
import { placeOnScreen } from '../src/main/shell/window-state';

describe('app:// file responses', () => {
  let root: string;
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hubdesk-files-'));
    await writeFile(join(root, 'clip.mp4'), bytes);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fileResponse(new Request(`app://library/${path}`, { headers }), root, path);

  it('serves a whole file with its type, and a byte range as 206 for video seeking', async () => {
    const whole = await get('clip.mp4');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(bytes);

    const part = await get('clip.mp4', { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(100, 200));

    const tail = await get('clip.mp4', { range: 'bytes=-10' });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(990));

    const beyond = await get('clip.mp4', { range: 'bytes=5000-' });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */1000');
  });

  it('refuses paths outside the library', async () => {
    expect((await get('../../etc/passwd')).status).toBe(404);
    expect((await get('/etc/passwd')).status).toBe(404);
    expect((await get('missing.mp4')).status).toBe(404);
  });
});

describe('external links', () => {
  it('opens only plain https URLs', () => {
    expect(safeExternalUrl('https://ai-docs.tikhub.io/8175517m0')).toBe(
      'https://ai-docs.tikhub.io/8175517m0',
    );
    for (const bad of [
      'http://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://user:pass@example.com/',
      'app://renderer/index.html',
      'not a url',
    ]) {
      expect(safeExternalUrl(bad), bad).toBeNull();
    }
  });
});

describe('window placement', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('keeps a remembered position that is on a screen, and drops one that is not', () => {
    const onScreen = { x: 100, y: 80, width: 1200, height: 800, maximized: false };
    expect(placeOnScreen(onScreen, screen)).toEqual(onScreen);
    expect(placeOnScreen({ ...onScreen, x: 4000 }, screen)).toEqual({
      width: 1200,
      height: 800,
      maximized: false,
    });
  });
});
