/** Chat over knowledge bases (issue 17): passages sent as numbered sources to every family, kept with the reply. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../src/main/core';
import type { ChatParams } from '../src/shared/chat-params';
import type { ChatApi } from '../src/shared/models';
import { type ChatHarness, startChatHarness } from './support/chat-core';
import { pdfWithPages } from './support/documents';
import { FolderTools } from './support/file-tools';

let h: ChatHarness;
let docs: string;
let tools: string;
let fruitId: string;
let guideId: string;

beforeAll(async () => {
  h = await startChatHarness();
  docs = await mkdtemp(join(tmpdir(), 'hubdesk-chat-kb-docs-'));
  tools = await mkdtemp(join(tmpdir(), 'hubdesk-chat-kb-tools-'));
  await writeFile(
    join(docs, 'fruit.pdf'),
    await pdfWithPages([['apricots ripen slowly'], ['bananas are yellow']]),
  );
  const guides = await mkdtemp(join(tmpdir(), 'hubdesk-chat-kb-guide-'));
  await writeFile(
    join(guides, 'guide.md'),
    '# Guide\n\n## Setup\nInstall the quokka package.\nThen run it.\n',
  );
  await writeFile(join(tools, 'forecasts.json'), JSON.stringify({ Paris: 'sunny' }));
  fruitId = (await h.core.knowledge.addBase('Fruit', [docs])).base.id;
  guideId = (await h.core.knowledge.addBase('Guide', [guides])).base.id;
}, 60_000);
afterAll(async () => {
  await h?.close();
  await rm(docs, { recursive: true, force: true });
  await rm(tools, { recursive: true, force: true });
});
beforeEach(() => {
  h.proxy.requests.length = 0;
});

const families: { label: string; model: string; api: ChatApi; path: string }[] = [
  { label: 'OpenAI chat', model: 'gpt-4o', api: 'openai-chat', path: '/v1/chat/completions' },
  { label: 'Responses', model: 'gpt-4o', api: 'openai-responses', path: '/v1/responses' },
  {
    label: 'Claude Messages',
    model: 'claude-sonnet-4-5-20250929',
    api: 'claude-messages',
    path: '/v1/messages',
  },
  { label: 'Gemini', model: 'gemini-2.5-pro', api: 'gemini', path: '/v1beta/models/' },
];

function chatWith(core: Core, family: { model: string; api: ChatApi }, params: ChatParams = {}) {
  const chat = core.chat.createConversation({ model: family.model, api: family.api });
  return core.chat.updateConversation(chat.id, { params });
}

async function ask(core: Core, conversationId: string, text: string, knowledgeBases?: string[]) {
  const started = await core.chat.send({
    conversationId,
    text,
    ...(knowledgeBases ? { knowledgeBases } : {}),
  });
  return core.chat.whenDone(started.streamId);
}

/** What the model was sent, as one text (each family's body, JSON-escaped as on the wire). */
const sentTo = (path: string) =>
  h.proxy.requests
    .filter((request) => request.path.startsWith(path))
    .map((request) => JSON.stringify(request.json));

describe.each(families)('a chat with a knowledge base: $label', (family) => {
  it('sends the passages as numbered sources with an instruction to cite them, and stores the sources', async () => {
    const chat = chatWith(h.core, family, { knowledgeBases: [fruitId] });
    const reply = await ask(h.core, chat.id, 'What colour are bananas?');

    expect(reply.status).toBe('complete');
    expect(reply.text).toBe('Echo: What colour are bananas? [1]');
    const [sent] = sentTo(family.path);
    expect(sent).toContain('[1] fruit.pdf, page 2');
    expect(sent).toContain('bananas are yellow');
    expect(sent).toContain('cite each one you use by its number in square brackets');
    // Only the passage found is sent, not the rest of the base.
    expect(sent).not.toContain('apricots');
    expect(reply.sources).toEqual([
      {
        n: 1,
        baseId: fruitId,
        path: join(docs, 'fruit.pdf'),
        page: 2,
        line: null,
        heading: '',
        snippet: expect.stringContaining('bananas'),
      },
    ]);
    // The window has them with the first delta, so citations work while the reply streams.
    const deltas = h.eventsOf('chat.delta').filter((delta) => delta.messageId === reply.id);
    expect(deltas[0]?.sources).toEqual(reply.sources);
    expect(deltas.slice(1).some((delta) => delta.sources)).toBe(false);
    // The prompt is stored as the user wrote it.
    const stored = h.core.chat.open(chat.id).messages;
    expect(stored[0]?.text).toBe('What colour are bananas?');
  });
});

describe('choosing bases', () => {
  const gpt = families[0] as (typeof families)[number];

  it('adds nothing when the chat and the message choose no base', async () => {
    const chat = chatWith(h.core, gpt);
    const reply = await ask(h.core, chat.id, 'What colour are bananas?');
    expect(reply.text).toBe('Echo: What colour are bananas?');
    expect(reply.sources).toBeUndefined();
    expect(sentTo(gpt.path)[0]).not.toContain('<sources>');
  });

  it('a message can use bases of its own, several at once, or none in a chat that has some', async () => {
    const plain = chatWith(h.core, gpt);
    const both = await ask(h.core, plain.id, 'bananas quokka', [fruitId, guideId]);
    expect(
      both.sources?.map((source) => [source.n, source.path.split('/').at(-1), source.page, source.line]),
    ).toEqual(
      expect.arrayContaining([
        [expect.any(Number), 'fruit.pdf', 2, null],
        [expect.any(Number), 'guide.md', null, 3],
      ]),
    );
    expect(both.text).toBe('Echo: bananas quokka [1][2]');
    expect(sentTo(gpt.path)[0]).toMatch(/\[\d\] guide\.md, line 3 — Guide › Setup|\[\d\] guide\.md, line 3/);

    const withBase = chatWith(h.core, gpt, { knowledgeBases: [fruitId] });
    const none = await ask(h.core, withBase.id, 'What colour are bananas?', []);
    expect(none.sources).toBeUndefined();
    expect(none.text).toBe('Echo: What colour are bananas?');
  });

  it('a base removed since the chat chose it is left out; a regenerated reply uses the same bases', async () => {
    const chat = chatWith(h.core, gpt);
    const first = await ask(h.core, chat.id, 'What colour are bananas?', [fruitId]);
    const again = h.core.chat.regenerate({ conversationId: chat.id, messageId: first.id });
    const second = await h.core.chat.whenDone(again.streamId);
    expect(second.sources?.map((source) => source.path)).toEqual([join(docs, 'fruit.pdf')]);

    const gone = chatWith(h.core, gpt, { knowledgeBases: ['no-such-base'] });
    const reply = await ask(h.core, gone.id, 'What colour are bananas?');
    expect(reply.status).toBe('complete');
    expect(reply.sources).toBeUndefined();
  });

  it('works with the tool loop: every round of the reply carries the sources', async () => {
    h.core.toolRegistry.register(new FolderTools('files', tools));
    const chat = chatWith(h.core, gpt, {
      knowledgeBases: [fruitId],
      toolServers: ['files'],
      toolApproval: 'auto',
    });
    const reply = await ask(h.core, chat.id, 'bananas and the weather in Paris');
    expect(reply.status).toBe('complete');
    expect(reply.toolCalls.map((call) => call.status)).toEqual(['done']);
    const sent = sentTo(gpt.path);
    expect(sent).toHaveLength(2);
    for (const body of sent) expect(body).toContain('[1] fruit.pdf, page 2');
    expect(reply.sources?.map((source) => source.page)).toEqual([2]);
  });
});

describe('the sources of a reply', () => {
  it('survive a restart and travel with an export (JSON whole, Markdown as a list)', async () => {
    const chat = chatWith(h.core, families[2] as (typeof families)[number], { knowledgeBases: [fruitId] });
    const reply = await ask(h.core, chat.id, 'What colour are bananas?');
    const core = await h.reopen();
    const reopened = core.chat.open(chat.id).messages.find((message) => message.id === reply.id);
    expect(reopened?.sources).toEqual(reply.sources);

    const json = JSON.parse(core.chat.exportConversation(chat.id, 'json').content);
    const exported = json.messages.find((message: { id: string }) => message.id === reply.id);
    expect(exported.sources).toEqual(reply.sources);
    const markdown = core.chat.exportConversation(chat.id, 'markdown').content;
    expect(markdown).toContain(`**Sources**\n\n1. fruit.pdf, page 2 (\`${join(docs, 'fruit.pdf')}\`)`);

    const imported = core.chat.importConversation(core.chat.exportConversation(chat.id, 'json').content);
    expect(core.chat.open(imported.id).messages.at(-1)?.sources).toEqual(reply.sources);
  });

  it('opens a source only by its stored path, at its page; an unknown number is refused', async () => {
    const chat = chatWith(h.core, families[0] as (typeof families)[number], { knowledgeBases: [fruitId] });
    const reply = await ask(h.core, chat.id, 'What colour are bananas?');
    const opened: { path: string; page: number | null }[] = [];
    const open = async (source: { path: string; page: number | null }) => {
      opened.push(source);
      return { opened: true };
    };
    expect(await h.core.chat.openSource(reply.id, 1, open)).toEqual({ opened: true });
    expect(opened).toEqual([expect.objectContaining({ path: join(docs, 'fruit.pdf'), page: 2 })]);
    await expect(h.core.chat.openSource(reply.id, 2, open)).rejects.toThrow('no source [2]');
  });
});

describe('search_documents, one of HubDesk’s own tools', () => {
  const text = (result: { content: { type: string; text?: string }[] }) =>
    result.content.map((part) => part.text ?? '').join('');

  it("in a reply, the passages it finds are numbered after the prompt's sources and join them", async () => {
    const chat = chatWith(h.core, families[0]!, {
      knowledgeBases: [fruitId],
      toolServers: ['hubdesk'],
      toolApproval: 'auto',
    });
    const started = await h.core.chat.send({
      conversationId: chat.id,
      text: 'What colour are bananas? Search my documents for quokka',
    });
    const reply = await h.core.chat.whenDone(started.streamId);

    expect(reply.status).toBe('complete');
    const call = reply.toolCalls.find((candidate) => candidate.tool === 'search_documents');
    expect(call?.status).toBe('done');
    const prompted = reply.sources?.filter((source) => source.path.endsWith('fruit.pdf')) ?? [];
    expect(prompted.length).toBeGreaterThan(0);
    const found = reply.sources?.find((source) => source.path.endsWith('guide.md'));
    // The prompt's passages are 1…k; the tool's passage is k+1, and the model read it under that number.
    expect(found?.n).toBe(prompted.length + 1);
    expect(text(call!.result!)).toContain(`[${found?.n}] guide.md, line 3`);
    expect(reply.sources?.map((source) => source.n)).toEqual(reply.sources?.map((_, index) => index + 1));

    const stored = h.core.chat.openWhole(chat.id).messages.find((message) => message.id === reply.id);
    expect(stored?.sources).toEqual(reply.sources);
    const streamed = h
      .eventsOf('chat.delta')
      .filter((delta) => delta.messageId === reply.id && delta.sources);
    expect(streamed.at(-1)?.sources).toEqual(reply.sources);
  });

  it('returns passages with their sources, from every base or one by name', async () => {
    const all = await h.core.builtinTools.callTool('search_documents', { query: 'bananas' });
    expect(all.isError).toBe(false);
    expect(text(all)).toContain('[1] fruit.pdf, page 2');
    expect(text(all)).toContain(join(docs, 'fruit.pdf'));
    expect(text(all)).toContain('bananas are yellow');
    expect(all.structuredContent).toMatchObject({
      passages: [{ n: 1, base: 'Fruit', path: join(docs, 'fruit.pdf'), page: 2, line: null }],
    });

    const guide = await h.core.builtinTools.callTool('search_documents', { query: 'quokka', base: 'guide' });
    expect(text(guide)).toContain('guide.md, line 3');
    const elsewhere = await h.core.builtinTools.callTool('search_documents', {
      query: 'quokka',
      base: 'Fruit',
    });
    expect(text(elsewhere)).toContain('No passages match "quokka" in the knowledge base Fruit.');

    const unknown = await h.core.builtinTools.callTool('search_documents', { query: 'x', base: 'Recipes' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toBe(
      'No knowledge base named "Recipes". The user\'s knowledge bases are: Fruit, Guide.',
    );
  });
});
