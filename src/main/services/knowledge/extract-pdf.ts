import { extractText, getDocumentProxy } from 'unpdf';

/**
 * The text of each page of a PDF, first page first, with unpdf (pdf.js' serverless build: no native parts, kept
 * with pdf.js). A page without a text layer (a scan) gives ''.
 */
export async function extractPdfPages(bytes: Uint8Array): Promise<string[]> {
  // pdf.js takes the buffer over (it detaches it), so it gets a copy; verbosity 0 keeps its warnings off stdout,
  // where they would break `hubdesk kb … --json`.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    return text.map((page) => page.replace(/[ \t]+\n/g, '\n').trim());
  } finally {
    await pdf.loadingTask.destroy();
  }
}
