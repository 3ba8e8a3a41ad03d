import { afterEach, describe, expect, it } from 'vitest';
import { localTitle, titleFromAnswer } from '../src/main/services/chat/titles';
import { type ChatHarness, startChatHarness } from './support/chat-core';

const titleRequests = (h: ChatHarness) =>
  h.proxy.requests.filter((request) =>
    JSON.stringify(request.json ?? '').includes('Write a short title for this conversation.'),
  );
const titleOf = (h: ChatHarness, id: string) =>
  h.core.chat.listConversations().find((c) => c.id === id)?.title;

describe('local titles (offline): the first words of the first message', () => {
  it('keeps a short first sentence whole, without its full stop', () => {
    expect(localTitle('Plan a trip to Lisbon. Three days, two people.')).toBe('Plan a trip to Lisbon');
    expect(localTitle('Why is the sky blue?')).toBe('Why is the sky blue?');
  });

  it('cuts a long sentence between words, Markdown and blank lines left out', () => {
    expect(
      localTitle(
        '\n\n**Summarise** the following `report` about the quarterly figures of our northern branch',
      ),
    ).toBe('Summarise the following report about the…');
    expect(localTitle('Viết một email xin nghỉ phép ba ngày gửi cho trưởng phòng của tôi vào tuần sau')).toBe(
      'Viết một email xin nghỉ phép ba ngày gửi…',
    );
  });

  it('counts Chinese characters as wide and cuts between words', () => {
    const title = localTitle(
      '请帮我把这份关于第三季度北方分公司销售数据的报告总结成五个要点，并指出最大的风险',
    );
    expect(title.endsWith('…')).toBe(true);
    expect(Array.from(title).length).toBeLessThanOrEqual(21);
    expect(title.startsWith('请帮我把这份')).toBe(true);
  });

  it('reads a model answer as a person would want the title', () => {
    expect(titleFromAnswer('Title: "Tides and the Moon."')).toBe('Tides and the Moon');
    expect(titleFromAnswer('\n「月亮与潮汐」\n')).toBe('月亮与潮汐');
    expect(titleFromAnswer('   ')).toBeNull();
  });
});

describe('model titles after the first reply', () => {
  let h: ChatHarness;
  const logged: string[] = [];
  afterEach(async () => {
    await h.close();
    logged.length = 0;
  });

  it('shows the local title at once, then the model’s, with the conversation kept in its place', async () => {
    h = await startChatHarness({ modelTitles: true, log: (line) => logged.push(line) });
    const conversation = h.core.chat.createConversation({});
    const started = await h.core.chat.send({
      conversationId: conversation.id,
      text: 'how do tides work on the moon',
    });
    expect(titleOf(h, conversation.id)).toBe('how do tides work on the moon');
    const reply = await h.core.chat.whenDone(started.streamId);
    expect(reply.text).toBe('Echo: how do tides work on the moon');
    const updatedAt = h.core.chat.listConversations()[0]?.updatedAt;
    await expect.poll(() => titleOf(h, conversation.id)).toBe('About how do tides');
    expect(titleRequests(h)).toHaveLength(1);
    expect(h.core.chat.listConversations()[0]?.updatedAt).toBe(updatedAt);

    const second = await h.core.chat.send({ conversationId: conversation.id, text: 'and on Mars?' });
    await h.core.chat.whenDone(second.streamId);
    expect(titleRequests(h)).toHaveLength(1);
    expect(titleOf(h, conversation.id)).toBe('About how do tides');
  });

  it('never replaces a title the user gave while the reply was streaming', async () => {
    h = await startChatHarness({ modelTitles: true });
    h.proxy.addFault({ match: '/v1/chat', fault: { type: 'trickle', delayMs: 20 } });
    const conversation = h.core.chat.createConversation({});
    const started = await h.core.chat.send({ conversationId: conversation.id, text: 'tides on the moon' });
    h.core.chat.updateConversation(conversation.id, { title: 'My tides' });
    await h.core.chat.whenDone(started.streamId);
    const second = await h.core.chat.send({ conversationId: conversation.id, text: 'more' });
    await h.core.chat.whenDone(second.streamId);
    expect(titleRequests(h)).toHaveLength(0);
    expect(titleOf(h, conversation.id)).toBe('My tides');
  });

  it('keeps the local title when the title request fails (offline)', async () => {
    h = await startChatHarness({ modelTitles: true, log: (line) => logged.push(line) });
    h.proxy.addFault({ match: '/v1/chat', fault: { type: 'latency', ms: 1 } });
    h.proxy.addFault({ match: '/v1/chat', fault: { type: 'reset' } });
    const conversation = h.core.chat.createConversation({});
    const started = await h.core.chat.send({ conversationId: conversation.id, text: 'tides on the moon' });
    expect((await h.core.chat.whenDone(started.streamId)).status).toBe('complete');
    await expect.poll(() => logged.some((line) => line.startsWith('no model title'))).toBe(true);
    expect(titleOf(h, conversation.id)).toBe('tides on the moon');
  });

  it('is not asked for by the CLI (no model titles): one request per reply', async () => {
    h = await startChatHarness();
    const conversation = h.core.chat.createConversation({});
    const started = await h.core.chat.send({ conversationId: conversation.id, text: 'tides on the moon' });
    await h.core.chat.whenDone(started.streamId);
    const second = await h.core.chat.send({ conversationId: conversation.id, text: 'more' });
    await h.core.chat.whenDone(second.streamId);
    expect(titleRequests(h)).toHaveLength(0);
    expect(titleOf(h, conversation.id)).toBe('tides on the moon');
  });
});
