import type { Message } from '../../../shared/chat';
import type { ChatTurn } from '../../api/chat/types';
import { readImageBase64 } from './attachments';
import { documentParts } from './chat-documents';

/** The turns sent to the model: the branch up to the prompt, without reasoning, failed replies merged away. */
export async function turnsOf(thread: Message[], libraryDir: string): Promise<ChatTurn[]> {
  const turns: ChatTurn[] = [];
  for (const message of thread) {
    if (message.role === 'assistant' && !message.text && message.toolCalls.length === 0) continue;
    const images = await Promise.all(
      message.images.map(async (image) => ({
        mimeType: image.mimeType,
        base64: await readImageBase64(libraryDir, image),
      })),
    );
    const documents = message.documents.length > 0 ? await documentParts(libraryDir, message.documents) : [];
    const previous = turns[turns.length - 1];
    if (previous && previous.role === message.role) {
      const joined = [previous.text, message.text].filter(Boolean).join('\n\n');
      // The merged message's rounds follow the earlier ones, where its text starts in the joined text.
      const shift = joined.length - message.text.length;
      const rounds = previous.toolCalls.reduce((most, call) => Math.max(most, (call.step ?? -1) + 1), 0);
      previous.text = joined;
      previous.images.push(...images);
      if (documents.length > 0) previous.documentParts = [...(previous.documentParts ?? []), ...documents];
      previous.toolCalls.push(
        ...message.toolCalls.map((call) => ({
          ...call,
          ...(call.step !== undefined ? { step: call.step + rounds } : {}),
          ...(call.textOffset !== undefined ? { textOffset: call.textOffset + shift } : {}),
        })),
      );
    } else {
      turns.push({
        role: message.role,
        text: message.text,
        images,
        ...(documents.length > 0 ? { documentParts: documents } : {}),
        toolCalls: [...message.toolCalls],
      });
    }
  }
  return turns;
}
