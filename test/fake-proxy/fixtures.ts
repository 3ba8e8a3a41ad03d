import { readFileSync } from 'node:fs';

export interface Fixture {
  data: Buffer;
  contentType: string;
  etag: string;
}

function load(name: string, contentType: string): Fixture {
  const data = readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
  return { data, contentType, etag: `"${name}-${data.length}"` };
}

/** The media files the proxy serves, read once (ffmpeg is not needed at run time). */
export function loadFixtures() {
  return {
    video: load('video.mp4', 'video/mp4'),
    thumbnailWebp: load('thumbnail.webp', 'image/webp'),
    thumbnailJpeg: load('thumbnail.jpg', 'image/jpeg'),
    thumbnailPng: load('thumbnail.png', 'image/png'),
    spritesheet: load('spritesheet.jpg', 'image/jpeg'),
  };
}

export type Fixtures = ReturnType<typeof loadFixtures>;
