import { describe, expect, it } from 'vitest';
import { plainPreview } from '../src/shared/plain-preview';

describe('plainPreview: a message as one plain line for the conversation list', () => {
  it('drops citation marks, as a cited answer ends its sentences with them', () => {
    expect(plainPreview('The lamp was lit in 1911 [1][2]. Storms came later [3].', 120)).toBe(
      'The lamp was lit in 1911. Storms came later.',
    );
    expect(plainPreview('Both say so [1, 2] and [4–6].', 120)).toBe('Both say so and.');
  });

  it('keeps the words of Markdown and drops its marks', () => {
    const text =
      '# Summary\n\n- **Bold** point with `code`\n- a [link](https://example.test) and _stress_\n> quoted';
    expect(plainPreview(text, 120)).toBe('Summary Bold point with code a link and stress quoted');
  });

  it('leaves brackets that are not citations (sources count from 1, so an index 0 stays)', () => {
    expect(plainPreview('Use list[0] or [draft] here', 120)).toBe('Use list[0] or [draft] here');
  });

  it('cuts by characters, never inside a surrogate pair', () => {
    expect(plainPreview(`${'a'.repeat(9)}😀tail`, 10)).toBe(`${'a'.repeat(9)}😀`);
    expect(plainPreview('x'.repeat(300), 120)).toHaveLength(120);
  });
});
