import { describe, expect, it } from 'vitest';
import { formatBytes, sizeParts } from '../src/shared/sizes';

describe('byte sizes, one rule for the window and main', () => {
  it('steps by 1024: whole bytes, one decimal for KB and MB, two for GB and TB', () => {
    expect(sizeParts(512)).toEqual({ unit: 'B', value: 512, digits: 0 });
    expect(sizeParts(1536)).toEqual({ unit: 'KB', value: 1.5, digits: 1 });
    expect(sizeParts(3 * 1024 ** 3)).toEqual({ unit: 'GB', value: 3, digits: 2 });
    expect(sizeParts(2 * 1024 ** 4)).toEqual({ unit: 'TB', value: 2, digits: 2 });
  });

  it('drops zero decimals in the window and keeps them in main’s sentences', () => {
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
    expect(formatBytes(25 * 1024 * 1024, { zeros: 'keep' })).toBe('25.0 MB');
    expect(formatBytes(1.25 * 1024 ** 3)).toBe('1.25 GB');
    expect(formatBytes(832_000)).toBe('812.5 KB');
  });

  it('writes the decimal mark of the language', () => {
    expect(formatBytes(61_000_000, { language: 'vi' })).toBe('58,2 MB');
    expect(formatBytes(61_000_000, { language: 'zh-CN' })).toBe('58.2 MB');
  });
});
