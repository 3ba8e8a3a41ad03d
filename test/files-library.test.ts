import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contentTypeFor,
  libraryContentTypeFor,
  parseRangeHeader,
  resolveInside,
} from '../src/main/files/library';

describe('resolveInside', () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeAll(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hubdesk-lib-')));
    root = path.join(base, 'library');
    outside = path.join(base, 'secret');
    fs.mkdirSync(path.join(root, 'videos'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(root, 'videos', 'a.mp4'), 'video');
    fs.writeFileSync(path.join(outside, 'passwords.txt'), 'secret');
    fs.symlinkSync(path.join(outside, 'passwords.txt'), path.join(root, 'escape.txt'));
    fs.symlinkSync(outside, path.join(root, 'escape-dir'));
    fs.symlinkSync(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling.txt'));
    fs.symlinkSync(path.join(root, 'videos', 'a.mp4'), path.join(root, 'alias.mp4'));
    fs.symlinkSync('videos', path.join(root, 'clips'));
  });

  afterAll(() => {
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('resolves plain relative paths, existing or not', () => {
    expect(resolveInside(root, 'videos/a.mp4')).toBe(path.join(root, 'videos', 'a.mp4'));
    expect(resolveInside(root, './videos//a.mp4')).toBe(path.join(root, 'videos', 'a.mp4'));
    expect(resolveInside(root, 'videos/new/b.mp4.part')).toBe(path.join(root, 'videos', 'new', 'b.mp4.part'));
    expect(resolveInside(path.join(base, 'not-created'), 'x/y.png')).toBe(
      path.join(base, 'not-created', 'x', 'y.png'),
    );
  });

  it('allows names that merely start with two dots, and still refuses such a name when it leads outside', () => {
    fs.writeFileSync(path.join(root, '..dots.mp4'), 'video');
    fs.symlinkSync(outside, path.join(root, '..outside'));
    expect(resolveInside(root, '..dots.mp4')).toBe(path.join(root, '..dots.mp4'));
    expect(resolveInside(root, 'videos/..hidden/...')).toBe(path.join(root, 'videos', '..hidden', '...'));
    expect(resolveInside(root, '..outside/passwords.txt')).toBeNull();
    expect(resolveInside(root, '../library/..dots.mp4')).toBeNull();
  });

  it('resolves names that merely start with two dots: they are inside', () => {
    expect(resolveInside(root, '..dots')).toBe(path.join(root, '..dots'));
    expect(resolveInside(root, '..dots/a.mp4')).toBe(path.join(root, '..dots', 'a.mp4'));
    expect(resolveInside(root, '...')).toBe(path.join(root, '...'));
  });

  it('allows symlinks that stay inside the root', () => {
    expect(resolveInside(root, 'alias.mp4')).toBe(path.join(root, 'alias.mp4'));
    expect(resolveInside(root, 'clips/a.mp4')).toBe(path.join(root, 'clips', 'a.mp4'));
  });

  it.each([
    ['parent escape', '../secret/passwords.txt'],
    ['escape after a folder', 'videos/../../secret/passwords.txt'],
    ['dot-dot alone', '..'],
    ['absolute path', '/etc/passwd'],
    ['NUL byte', 'videos/a.mp4\0.png'],
    ['backslash traversal', '..\\secret\\passwords.txt'],
    ['backslash separator', 'videos\\a.mp4'],
    ['drive letter', 'C:/Windows/win.ini'],
    ['drive-relative', 'C:secret'],
    ['empty', ''],
    ['the root itself', '.'],
    ['only slashes and dots', './/./'],
  ])('refuses %s', (_label, relative) => {
    expect(resolveInside(root, relative)).toBeNull();
  });

  it('refuses an absolute path even when it points into the root', () => {
    expect(resolveInside(root, path.join(root, 'videos', 'a.mp4'))).toBeNull();
  });

  it('refuses a symlinked file that leads outside', () => {
    expect(fs.readFileSync(path.join(root, 'escape.txt'), 'utf8')).toBe('secret');
    expect(resolveInside(root, 'escape.txt')).toBeNull();
  });

  it('refuses paths through a symlinked folder that leads outside, even to files not there yet', () => {
    expect(resolveInside(root, 'escape-dir/passwords.txt')).toBeNull();
    expect(resolveInside(root, 'escape-dir/new-file.txt')).toBeNull();
  });

  it('refuses a dangling symlink that would create a file outside', () => {
    expect(resolveInside(root, 'dangling.txt')).toBeNull();
  });
});

describe('parseRangeHeader', () => {
  const size = 1000;

  it('ignores a missing or empty header (serve the whole file)', () => {
    expect(parseRangeHeader(undefined, size)).toBeNull();
    expect(parseRangeHeader(null, size)).toBeNull();
    expect(parseRangeHeader('', size)).toBeNull();
  });

  it('reads bytes=a-b, clamping the end to the last byte', () => {
    expect(parseRangeHeader('bytes=0-99', size)).toEqual({ start: 0, end: 99 });
    expect(parseRangeHeader('bytes=500-500', size)).toEqual({ start: 500, end: 500 });
    expect(parseRangeHeader('bytes=900-5000', size)).toEqual({ start: 900, end: 999 });
    expect(parseRangeHeader('bytes=0-999999999999999999999', size)).toEqual({ start: 0, end: 999 });
    expect(parseRangeHeader('Bytes = 10 - 19 ', size)).toEqual({ start: 10, end: 19 });
  });

  it('reads bytes=a- (to the end), as a resumed download sends it', () => {
    expect(parseRangeHeader('bytes=0-', size)).toEqual({ start: 0, end: 999 });
    expect(parseRangeHeader('bytes=999-', size)).toEqual({ start: 999, end: 999 });
  });

  it('reads bytes=-n (the last n bytes)', () => {
    expect(parseRangeHeader('bytes=-100', size)).toEqual({ start: 900, end: 999 });
    expect(parseRangeHeader('bytes=-1', size)).toEqual({ start: 999, end: 999 });
    expect(parseRangeHeader('bytes=-5000', size)).toEqual({ start: 0, end: 999 });
  });

  it.each([
    ['a start at the size', 'bytes=1000-'],
    ['a start past the size', 'bytes=2000-2100'],
    ['an empty suffix', 'bytes=-0'],
    ['any range of an empty file', 'bytes=0-', 0],
    ['a suffix of an empty file', 'bytes=-10', 0],
  ])('answers unsatisfiable (416) for %s', (_label, header, fileSize = size) => {
    expect(parseRangeHeader(header, fileSize)).toBe('unsatisfiable');
  });

  it.each([
    ['another unit', 'items=0-10'],
    ['no numbers', 'bytes=-'],
    ['end before start', 'bytes=20-10'],
    ['garbage', 'bytes=abc-def'],
    ['a negative start', 'bytes=--5'],
    ['several ranges', 'bytes=0-10,20-30'],
    ['several ranges with spaces', 'bytes=0-10, -5'],
    ['no unit', '0-10'],
  ])('ignores %s (serve the whole file)', (_label, header) => {
    expect(parseRangeHeader(header, size)).toBeNull();
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['clip.mp4', 'video/mp4'],
    ['clip.WEBM', 'video/webm'],
    ['clip.mov', 'video/quicktime'],
    ['thumb.png', 'image/png'],
    ['thumb.jpg', 'image/jpeg'],
    ['thumb.jpeg', 'image/jpeg'],
    ['thumb.webp', 'image/webp'],
    ['anim.gif', 'image/gif'],
    ['talk.mp3', 'audio/mpeg'],
    ['talk.wav', 'audio/wav'],
    ['talk.m4a', 'audio/mp4'],
    ['talk.ogg', 'audio/ogg'],
    ['talk.flac', 'audio/flac'],
    ['meta.json', 'application/json'],
    ['notes.txt', 'text/plain; charset=utf-8'],
    ['subs.srt', 'application/x-subrip; charset=utf-8'],
    ['subs.vtt', 'text/vtt; charset=utf-8'],
    ['dir/archive.bin', 'application/octet-stream'],
    ['no-extension', 'application/octet-stream'],
    ['clip.mp4.part', 'application/octet-stream'],
  ])('%s is %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type);
  });
});

describe('libraryContentTypeFor', () => {
  it.each([
    ['clip.mp4', 'video/mp4'],
    ['thumb.png', 'image/png'],
    ['talk.mp3', 'audio/mpeg'],
    ['notes.txt', 'text/plain; charset=utf-8'],
    ['subs.vtt', 'text/vtt; charset=utf-8'],
  ])('serves media and plain text as themselves: %s is %s', (file, type) => {
    expect(libraryContentTypeFor(file)).toBe(type);
  });

  it.each([
    'page.html',
    'page.HTM',
    'image.svg',
    'feed.xml',
    'page.xhtml',
    'code.js',
    'code.mjs',
    'style.css',
    'x.map',
  ])('serves %s, which could run script as a page, as bytes', (file) => {
    expect(libraryContentTypeFor(file)).toBe('application/octet-stream');
  });
});
