/** Documents dropped into the composer: read by main, sent as context in every family's format, kept with the message. */
import { access, readFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentReading, DocumentRef } from '../src/shared/documents';
import type { ChatApi } from '../src/shared/models';
import { type ChatHarness, startChatHarness } from './support/chat-core';
import { docxWith, pdfWithoutText, pdfWithPages } from './support/documents';

let h: ChatHarness;
beforeEach(async () => {
  h = await startChatHarness();
});
afterEach(async () => {
  await h.close();
});

const upload = (name: string, bytes: Buffer | string) => ({
  name,
  dataBase64: Buffer.from(bytes).toString('base64'),
});

function accepted(reading: DocumentReading): DocumentRef {
  if (!reading.ok) throw new Error(`${reading.name} was refused: ${reading.problem} ${reading.detail ?? ''}`);
  return reading.document;
}

async function readPdfAndDocx(): Promise<DocumentRef[]> {
  const pdf = await pdfWithPages([['Apricots grow on page one'], ['Bananas ripen on page two']]);
  const docx = await docxWith([{ heading: 1, text: 'Travel policy' }, { text: 'Trains go second class.' }]);
  return [
    accepted(await h.core.chat.readDocument(upload('fruit.pdf', pdf))),
    accepted(await h.core.chat.readDocument(upload('policy.docx', docx))),
  ];
}

const families: { api: ChatApi; model: string; path: string; texts: (body: unknown) => string[] }[] = [
  {
    api: 'openai-chat',
    model: 'gpt-4o',
    path: '/v1/chat/completions',
    texts: (body) =>
      (body as { messages: { content: { type: string; text?: string }[] }[] }).messages
        .at(-1)!
        .content.map((part) => part.text ?? ''),
  },
  {
    api: 'openai-responses',
    model: 'gpt-4o',
    path: '/v1/responses',
    texts: (body) =>
      (body as { input: { content: { text?: string }[] }[] }).input
        .at(-1)!
        .content.map((part) => part.text ?? ''),
  },
  {
    api: 'claude-messages',
    model: 'claude-sonnet-4-5-20250929',
    path: '/v1/messages',
    texts: (body) =>
      (body as { messages: { content: { text?: string }[] }[] }).messages
        .at(-1)!
        .content.map((part) => part.text ?? ''),
  },
  {
    api: 'gemini',
    model: 'gemini-2.5-pro',
    path: '/v1beta/models/',
    texts: (body) =>
      (body as { contents: { parts: { text?: string }[] }[] }).contents
        .at(-1)!
        .parts.map((part) => part.text ?? ''),
  },
];

describe('reading a dropped document', () => {
  it('extracts a PDF page by page and a DOCX, with pages and a token estimate', async () => {
    const [pdf, docx] = await readPdfAndDocx();
    expect(pdf).toMatchObject({ name: 'fruit.pdf', pages: 2 });
    expect(pdf!.path).toMatch(/^attachments\/documents\/[\w-]+\.txt$/);
    const pdfText = await readFile(join(h.core.paths.libraryDir, pdf!.path), 'utf8');
    expect(pdfText).toContain('[Page 2]\nBananas ripen on page two');
    expect(pdf!.tokens).toBe(Math.ceil(pdfText.length / 4));
    expect(docx).toMatchObject({ name: 'policy.docx', pages: null });
    expect(docx!.tokens).toBeGreaterThan(0);
  });

  it('says why a file cannot go: a scan, an empty file, an unknown type, a binary file, too much text', async () => {
    const refusals = [
      await h.core.chat.readDocument(upload('scan.pdf', await pdfWithoutText())),
      await h.core.chat.readDocument(upload('empty.md', '  \n')),
      await h.core.chat.readDocument(upload('setup.exe', 'MZ')),
      await h.core.chat.readDocument(upload('data.txt', Buffer.from([0, 1, 2, 0]))),
      await h.core.chat.readDocument(upload('broken.pdf', 'not a pdf at all')),
      await h.core.chat.readDocument(upload('huge.txt', 'word '.repeat(500_000))),
    ];
    expect(refusals.map((reading) => (reading.ok ? 'ok' : `${reading.name}: ${reading.problem}`))).toEqual([
      'scan.pdf: no-text',
      'empty.md: empty',
      'setup.exe: unsupported',
      'data.txt: unreadable',
      'broken.pdf: unreadable',
      'huge.txt: too-much-text',
    ]);
  });
});

describe('sending documents as context', () => {
  for (const family of families) {
    it(`puts each document's text, under a header naming it, before the prompt (${family.api})`, async () => {
      const documents = await readPdfAndDocx();
      const chat = h.core.chat.createConversation({ model: family.model, api: family.api });
      const started = await h.core.chat.send({ conversationId: chat.id, text: 'Summarise these', documents });
      await h.core.chat.whenDone(started.streamId);

      const request = h.proxy.requests.filter((r) => r.path.startsWith(family.path)).at(-1);
      const parts = family.texts(request?.json);
      expect(parts).toHaveLength(3);
      expect(parts[0]).toMatch(/^Document: fruit\.pdf, 2 pages\n/);
      expect(parts[0]).toContain('Bananas ripen on page two');
      expect(parts[1]).toMatch(/^Document: policy\.docx\n/);
      expect(parts[1]).toContain('Trains go second class.');
      expect(parts[2]).toBe('Summarise these');
    });
  }

  it('keeps the documents with their message after a restart, sends them with later turns, and exports them', async () => {
    const documents = await readPdfAndDocx();
    const chat = h.core.chat.createConversation({ model: 'gpt-4o' });
    const first = await h.core.chat.send({ conversationId: chat.id, text: 'Read these', documents });
    await h.core.chat.whenDone(first.streamId);
    expect(first.userMessage.documents).toEqual(documents);

    const core = await h.reopen();
    const reopened = core.chat.open(chat.id).messages;
    expect(reopened[0]?.documents.map((document) => [document.name, document.pages])).toEqual([
      ['fruit.pdf', 2],
      ['policy.docx', null],
    ]);

    const second = await core.chat.send({ conversationId: chat.id, text: 'And the bananas?' });
    await core.chat.whenDone(second.streamId);
    const body = h.proxy.requests.filter((r) => r.path.startsWith('/v1/chat/completions')).at(-1)?.json as {
      messages: { role: string; content: unknown }[];
    };
    // The documents belong to the first message: the follow-up is plain text, the earlier turn still carries them.
    expect(body.messages.at(-1)).toEqual({ role: 'user', content: 'And the bananas?' });
    expect(JSON.stringify(body.messages[0])).toContain('Bananas ripen on page two');

    const markdown = core.chat.exportConversation(chat.id, 'markdown').content;
    expect(markdown).toMatch(/\*Document: fruit\.pdf \([\d.]+ KB, 2 pages, about \d+ tokens\)\*/);
    expect(markdown).toMatch(/\*Document: policy\.docx \([\d.]+ KB, about \d+ tokens\)\*/);
    const json = JSON.parse(core.chat.exportConversation(chat.id, 'json').content) as {
      messages: { documents: DocumentRef[] }[];
    };
    expect(json.messages[0]?.documents.map((document) => document.name)).toEqual([
      'fruit.pdf',
      'policy.docx',
    ]);
  });

  it('an edit of the message asks again with the same documents', async () => {
    const documents = await readPdfAndDocx();
    const chat = h.core.chat.createConversation({ model: 'gpt-4o' });
    const first = await h.core.chat.send({ conversationId: chat.id, text: 'Read these', documents });
    await h.core.chat.whenDone(first.streamId);
    const edit = await h.core.chat.send({
      conversationId: chat.id,
      text: 'Only the PDF',
      editOf: first.userMessage.id,
    });
    await h.core.chat.whenDone(edit.streamId);
    expect(edit.userMessage.documents).toEqual(documents);
    const body = h.proxy.requests.filter((r) => r.path.startsWith('/v1/chat/completions')).at(-1)?.json;
    expect(JSON.stringify(body)).toContain('Bananas ripen on page two');
  });

  it('sends documents without any text, and refuses a document whose text is gone', async () => {
    const [pdf] = await readPdfAndDocx();
    const chat = h.core.chat.createConversation({ model: 'deepseek-chat' });
    const started = await h.core.chat.send({ conversationId: chat.id, text: '', documents: [pdf!] });
    await h.core.chat.whenDone(started.streamId);
    expect(started.userMessage.documents).toHaveLength(1);

    const gone = { ...pdf!, path: 'attachments/documents/not-there.txt' };
    await expect(
      h.core.chat.send({ conversationId: chat.id, text: 'again', documents: [gone] }),
    ).rejects.toThrow(/no longer there/);
  });
});

describe('attachment files no message points at', () => {
  it('are removed a day after they were written; those of sent messages and fresh ones stay', async () => {
    const [sent, neverSent] = await readPdfAndDocx();
    const chat = h.core.chat.createConversation({ model: 'gpt-4o' });
    const started = await h.core.chat.send({ conversationId: chat.id, text: 'Read it', documents: [sent!] });
    await h.core.chat.whenDone(started.streamId);
    const [justRead] = [accepted(await h.core.chat.readDocument(upload('fresh.txt', 'Fresh note')))];

    const libraryDir = join(h.dataDir, 'library');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    for (const document of [sent!, neverSent!])
      await utimes(join(libraryDir, document.path), twoDaysAgo, twoDaysAgo);

    expect(await h.core.chat.sweepAttachments()).toBe(1);
    const exists = (path: string) =>
      access(join(libraryDir, path)).then(
        () => true,
        () => false,
      );
    expect(await exists(neverSent!.path)).toBe(false);
    expect(await exists(sent!.path)).toBe(true);
    expect(await exists(justRead!.path)).toBe(true);
  });
});
