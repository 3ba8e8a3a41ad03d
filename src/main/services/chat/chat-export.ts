import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  type Conversation,
  conversationSchema,
  type Message,
  messageSchema,
  type ToolCall,
} from '../../../shared/chat';
import { type KbSource, sourceFileName } from '../../../shared/chat-knowledge';
import { documentLine } from '../../../shared/documents';
import type { ErrorReason } from '../../../shared/error-reasons';
import { chatApiLabels } from '../../../shared/models';
import { HubError } from '../../base/errors';

export const EXPORT_FORMAT = 'hubdesk.conversation';
export const EXPORT_VERSION = 1;

export interface ConversationExport {
  conversation: Conversation;
  messages: Message[];
}

const FILE_NAME_MAX = 80;
const NOT_AN_EXPORT = 'This file is not a HubDesk conversation export.';

const envelopeSchema = z.object({ format: z.literal(EXPORT_FORMAT), version: z.number().int().min(1) });
const contentSchema = z.object({ conversation: conversationSchema, messages: z.array(messageSchema) });

/** The whole tree (every branch), as pretty JSON that `parseConversationExport` reads back. */
export function conversationToJson(
  conversation: Conversation,
  messages: Message[],
  exportedAt: number = Date.now(),
): string {
  return JSON.stringify(
    {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: new Date(exportedAt).toISOString(),
      conversation: conversationSchema.parse(conversation),
      messages: messages.map((message) => messageSchema.parse(message)),
    },
    null,
    2,
  );
}

/** The branch being shown, as a Markdown document a person can read. */
export function conversationToMarkdown(conversation: Conversation, thread: Message[]): string {
  const blocks: string[] = [
    `# ${oneLine(conversation.title)}`,
    `Model: \`${conversation.model}\` (${chatApiLabels[conversation.api]})`,
  ];
  if (conversation.systemPrompt.trim() !== '') {
    blocks.push('## System prompt', conversation.systemPrompt.trim());
  }
  for (const message of thread) {
    blocks.push(message.role === 'user' ? '## You' : `## Assistant (${message.model ?? conversation.model})`);
    for (const image of message.images) blocks.push(`*Image: ${oneLine(image.name)}*`);
    for (const document of message.documents) blocks.push(`*Document: ${oneLine(documentLine(document))}*`);
    if (message.reasoning.trim() !== '') {
      blocks.push(`<details>\n<summary>Reasoning</summary>\n\n${message.reasoning.trim()}\n\n</details>`);
    }
    if (message.text.trim() !== '') blocks.push(message.text.trim());
    for (const call of message.toolCalls) {
      blocks.push(`**Tool call:** \`${oneLine(call.name)}\``, fenced('json', prettyJson(call.arguments)));
      blocks.push(...toolOutcome(call));
    }
    if (message.sources && message.sources.length > 0) blocks.push(sourcesMarkdown(message.sources));
    if (message.status === 'interrupted') blocks.push('*The reply was interrupted before it ended.*');
    if (message.status === 'failed') {
      blocks.push(`*The reply failed${message.error ? `: ${oneLine(message.error.message)}` : '.'}*`);
    }
  }
  return `${blocks.join('\n\n')}\n`;
}

/** A reply's sources as a list: number, file with page or line, heading, full path. */
function sourcesMarkdown(sources: readonly KbSource[]): string {
  const items = sources.map((source) => {
    const where =
      source.page !== null ? `, page ${source.page}` : source.line !== null ? `, line ${source.line}` : '';
    const heading = source.heading ? ` — ${oneLine(source.heading)}` : '';
    return `${source.n}. ${oneLine(sourceFileName(source.path))}${where}${heading} (\`${oneLine(source.path)}\`)`;
  });
  return `**Sources**\n\n${items.join('\n')}`;
}

/** Reads a JSON export back, checked in full; anything else is a readable invalid_input error. */
export function parseConversationExport(text: string): ConversationExport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw invalid(`${NOT_AN_EXPORT} It is not JSON.`, { code: 'chatExportNotJson', values: {} });
  }
  const envelope = envelopeSchema.safeParse(data);
  if (!envelope.success) throw invalid(NOT_AN_EXPORT, { code: 'chatNotAnExport', values: {} });
  if (envelope.data.version > EXPORT_VERSION) {
    throw invalid(
      `This conversation was exported by a newer version of HubDesk (format version ${envelope.data.version}; ` +
        `this version reads up to ${EXPORT_VERSION}). Update HubDesk to import it.`,
      { code: 'chatExportNewer', values: { version: envelope.data.version, supported: EXPORT_VERSION } },
    );
  }
  const content = contentSchema.safeParse(data);
  if (!content.success) {
    const issue = content.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the file';
    throw invalid(`The conversation export is damaged: ${where} ${issue?.message ?? 'is not valid'}.`);
  }
  checkTree(content.data);
  return content.data;
}

/** A copy with fresh ids (conversation and messages), the tree kept, parents before children; ready to insert. */
export function remapIds(exported: ConversationExport): ConversationExport {
  const conversationId = randomUUID();
  const newIds = new Map(exported.messages.map((message) => [message.id, randomUUID()]));
  const newId = (id: string): string => newIds.get(id) ?? id;
  const messages = parentsFirst(exported.messages).map(
    (message): Message => ({
      ...message,
      id: newId(message.id),
      conversationId,
      parentId: message.parentId === null ? null : newId(message.parentId),
      // A reply exported mid-stream can never finish after an import.
      status: message.status === 'streaming' ? 'interrupted' : message.status,
    }),
  );
  const { activeLeafId } = exported.conversation;
  return {
    conversation: {
      ...exported.conversation,
      id: conversationId,
      activeLeafId: activeLeafId === null ? null : newId(activeLeafId),
    },
    messages,
  };
}

/** "Trip to Kyoto.md": the title without characters file systems refuse, never empty, never a device name. */
export function exportFileName(conversation: Conversation, format: 'markdown' | 'json'): string {
  const cleaned = conversation.title
    .normalize('NFC')
    .replace(/[\p{Cc}<>:"/\\|?*]/gu, ' ')
    // A title cut short ends in "…" (or "..."): a file name does not need it.
    .replace(/(…|\.{3})+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const shortened = [...cleaned].slice(0, FILE_NAME_MAX).join('');
  let base = shortened.replace(/^[.\s]+|[.\s]+$/g, '');
  if (base === '') base = 'Conversation';
  if (/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(base)) base = `${base} chat`;
  return `${base}.${format === 'markdown' ? 'md' : 'json'}`;
}

/** A damaged export, unless `reason` says otherwise; `message` says where, in English, for the log. */
function invalid(message: string, reason: ErrorReason = { code: 'chatExportDamaged', values: {} }): HubError {
  return new HubError({ kind: 'invalid_input', message, field: 'content', reason });
}

/** Ids unique, every message in the conversation, every parent present, no cycles, the active leaf present. */
function checkTree({ conversation, messages }: ConversationExport): void {
  const byId = new Map<string, Message>();
  for (const message of messages) {
    if (byId.has(message.id))
      throw invalid(`The conversation export is damaged: message ${message.id} appears twice.`);
    if (message.conversationId !== conversation.id) {
      throw invalid(
        `The conversation export is damaged: message ${message.id} belongs to another conversation.`,
      );
    }
    byId.set(message.id, message);
  }
  for (const message of messages) {
    if (message.parentId !== null && !byId.has(message.parentId)) {
      throw invalid(`The conversation export is damaged: the parent of message ${message.id} is missing.`);
    }
  }
  if (conversation.activeLeafId !== null && !byId.has(conversation.activeLeafId)) {
    throw invalid('The conversation export is damaged: the message shown last is missing.');
  }
  const acyclic = new Set<string>();
  for (const message of messages) {
    const seen = new Set<string>();
    let current: Message | undefined = message;
    while (current && !acyclic.has(current.id)) {
      if (seen.has(current.id)) {
        throw invalid(`The conversation export is damaged: message ${current.id} is its own ancestor.`);
      }
      seen.add(current.id);
      current = current.parentId === null ? undefined : byId.get(current.parentId);
    }
    for (const id of seen) acyclic.add(id);
  }
}

/** The messages in their given order, except that a parent always comes before its children. */
function parentsFirst(messages: Message[]): Message[] {
  const byId = new Map(messages.map((message) => [message.id, message]));
  const placed = new Set<string>();
  const ordered: Message[] = [];
  for (const message of messages) {
    const pending: Message[] = [];
    let current: Message | undefined = message;
    while (current && !placed.has(current.id)) {
      pending.push(current);
      placed.add(current.id);
      current = current.parentId === null ? undefined : byId.get(current.parentId);
    }
    ordered.push(...pending.reverse());
  }
  return ordered;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** How a call the tool loop handled went: its status and approval, edited arguments, and its result as text. */
function toolOutcome(call: ToolCall): string[] {
  if (call.status === undefined) return [];
  const where = call.server && call.tool ? ` (${oneLine(call.server)} › ${oneLine(call.tool)})` : '';
  const approval = call.approval ? `, approval: ${call.approval}` : '';
  const blocks = [`*Status: ${call.status}${where}${approval}*`];
  if (call.runArguments !== undefined)
    blocks.push('*Run with:*', fenced('json', prettyJson(call.runArguments)));
  if (call.result) {
    const text = call.result.content
      .map((part) =>
        part.type === 'text'
          ? part.text
          : part.type === 'resource'
            ? (part.text ?? part.uri)
            : `[${part.type}]`,
      )
      .join('\n');
    blocks.push(call.result.isError ? '*Result (error):*' : '*Result:*', fenced('text', text));
  }
  return blocks;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** A fenced code block whose fence is longer than any backtick run inside. */
function fenced(language: string, code: string): string {
  const longestRun = Math.max(0, ...[...code.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${code}\n${fence}`;
}
