import mammoth from 'mammoth';
import { htmlToText } from './extract-html';

/**
 * A DOCX's text with its headings as Markdown `#` lines. mammoth (kept, pure JavaScript) maps Word's heading
 * styles to <h1>…<h6>; its HTML then goes through the same reduction as an HTML file. Images are left out.
 */
export async function extractDocxText(bytes: Buffer): Promise<string> {
  const result = await mammoth.convertToHtml(
    { buffer: bytes },
    { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
  );
  return htmlToText(result.value);
}
