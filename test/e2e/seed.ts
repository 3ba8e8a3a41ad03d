import type { Stack } from '../support/stack';
import { speechFile, waitForJob } from '../support/transcription-media';

/** Something on every page: a conversation with a reply, a transcript, and a finished, downloaded video. */
export async function seedEveryPage(stack: Stack): Promise<void> {
  const { core } = stack;
  const conversation = core.chat.createConversation({ model: 'gpt-4o' });
  const started = await core.chat.send({
    conversationId: conversation.id,
    text: 'Plan a weekend in Da Nang, with a table and some code',
  });
  await core.chat.whenDone(started.streamId);
  const [job] = await core.transcription.add([await speechFile(stack.dataDir, 'interview.wav')], {
    model: 'whisper-1',
    keepCopy: false,
  });
  await waitForJob(core, job?.id ?? '');
  const video = await core.videos.create({
    vendor: 'sora',
    model: 'sora-2',
    prompt: 'A calico cat playing a piano on stage',
    options: {},
  });
  const until = Date.now() + 20_000;
  while (core.videos.list({}).find((item) => item.id === video.id)?.download !== 'done') {
    if (Date.now() > until) throw new Error('the seeded video did not download');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
