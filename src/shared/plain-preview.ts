/**
 * A message's text as one plain line for a list: no citation marks ([1][2]), no Markdown syntax, whitespace
 * collapsed, cut to `length` characters at most.
 */
export function plainPreview(text: string, length: number): string {
  const plain = text
    .replace(/```[^\n]*\n?/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\s*\[[1-9]\d*(?:\s*[,–-]\s*[1-9]\d*)*\]/g, '')
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '')
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,!?:;]|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
  return [...plain].slice(0, length).join('');
}
