/**
 * HubDesk's own data as a tool provider (issue 15), offered to the model like any MCP server's tools: search the
 * library (messages, transcripts, video prompts; by keyword and meaning), list and read transcripts, list videos,
 * read a conversation, search the user's documents (knowledge bases). A tool that cannot do what it was asked answers with an `isError` result the model can read.
 */
import type { z } from 'zod';
import { BUILTIN_TOOL_SERVER, type ToolResult, type ToolSpec } from '../../../shared/tools';
import { HubError, toAppError } from '../../base/errors';
import type { TranscriptsRepo } from '../../store/transcripts-repo';
import type { ChatService } from '../chat/chat-service';
import type { ChatKnowledge } from '../chat/knowledge-context';
import type { SearchService } from '../search/search-service';
import type { TranscriptionService } from '../transcription/transcription-service';
import type { VideoService } from '../videos/video-service';
import { searchDocuments } from './builtin-document-tools';
import {
  type BuiltinLibrary,
  listTranscripts,
  listVideos,
  readConversation,
  readTranscript,
  searchLibrary,
} from './builtin-library-tools';
import {
  type BuiltinToolName,
  builtinToolSpecs,
  listTranscriptsArgs,
  listVideosArgs,
  readConversationArgs,
  readTranscriptArgs,
  searchDocumentsArgs,
  searchLibraryArgs,
} from './builtin-tool-specs';
import { errorResult } from './builtin-tool-text';
import type { ToolCallContext, ToolProvider } from './tool-provider';

export interface BuiltinToolDeps {
  search: Pick<SearchService, 'search'>;
  chat: Pick<ChatService, 'openWhole'> & Partial<Pick<ChatService, 'addReplySources'>>;
  transcription: Pick<TranscriptionService, 'getTranscript'>;
  videos: Pick<VideoService, 'list'>;
  transcripts: Pick<TranscriptsRepo, 'list'>;
  /** The user's knowledge bases (search_documents); without them it finds none. */
  knowledge?: ChatKnowledge;
  now?: () => number;
}

export class BuiltinToolProvider implements ToolProvider {
  readonly server = BUILTIN_TOOL_SERVER;

  private readonly library: BuiltinLibrary;
  private readonly knowledge: ChatKnowledge;
  private readonly addReplySources: BuiltinToolDeps['chat']['addReplySources'];

  constructor(deps: BuiltinToolDeps) {
    this.knowledge = deps.knowledge ?? { bases: () => [], retrieve: async () => [] };
    this.addReplySources = deps.chat.addReplySources?.bind(deps.chat);
    this.library = {
      search: deps.search,
      openConversation: (id) => deps.chat.openWhole(id),
      transcript: (id) => deps.transcription.getTranscript(id),
      transcripts: (filter) => deps.transcripts.list(filter),
      videos: (filter) => deps.videos.list(filter),
      now: deps.now ?? Date.now,
    };
  }

  async listTools(): Promise<ToolSpec[]> {
    return builtinToolSpecs.map(({ name, title, description, inputSchema }) => ({
      server: this.server,
      name,
      title,
      description,
      inputSchema: structuredClone(inputSchema),
    }));
  }

  async callTool(
    name: string,
    args: Record<string, unknown>,
    signal?: AbortSignal,
    context: ToolCallContext = {},
  ): Promise<ToolResult> {
    throwIfCancelled(signal);
    const spec = builtinToolSpecs.find((candidate) => candidate.name === name);
    if (!spec) {
      return errorResult(
        `HubDesk has no tool named "${name}". Its tools are: ${builtinToolSpecs.map((tool) => tool.name).join(', ')}.`,
      );
    }
    try {
      const result = await this.run(spec.name, args ?? {}, signal, context);
      throwIfCancelled(signal);
      return result;
    } catch (error) {
      const info = toAppError(error);
      if (info.kind === 'cancelled') throw error;
      return errorResult(
        info.kind === 'not_found'
          ? notFoundText(spec.name, args.id, info.message)
          : `${name} failed: ${info.message}`,
      );
    }
  }

  private run(
    name: BuiltinToolName,
    args: unknown,
    signal: AbortSignal | undefined,
    context: ToolCallContext,
  ): ToolResult | Promise<ToolResult> {
    switch (name) {
      case 'search_library':
        return withArgs(name, searchLibraryArgs, args, (checked) =>
          searchLibrary(this.library, checked, signal),
        );
      case 'read_transcript':
        return withArgs(name, readTranscriptArgs, args, (checked) => readTranscript(this.library, checked));
      case 'list_transcripts':
        return withArgs(name, listTranscriptsArgs, args, (checked) => listTranscripts(this.library, checked));
      case 'list_videos':
        return withArgs(name, listVideosArgs, args, (checked) => listVideos(this.library, checked));
      case 'read_conversation':
        return withArgs(name, readConversationArgs, args, (checked) =>
          readConversation(this.library, checked),
        );
      case 'search_documents':
        return withArgs(name, searchDocumentsArgs, args, (checked) =>
          searchDocuments(this.knowledge, checked, signal, (found) => {
            const { messageId } = context;
            return messageId && this.addReplySources
              ? this.addReplySources(messageId, found)
              : found.map((source, index) => ({ ...source, n: index + 1 }));
          }),
        );
    }
  }
}

function withArgs<Schema extends z.ZodType>(
  name: BuiltinToolName,
  schema: Schema,
  args: unknown,
  run: (checked: z.output<Schema>) => ToolResult | Promise<ToolResult>,
): ToolResult | Promise<ToolResult> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return run(parsed.data);
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  return errorResult(
    `Invalid arguments for ${name}: ${problems.join('; ')}. Call it again with arguments that follow its input schema.`,
  );
}

function notFoundText(name: BuiltinToolName, id: unknown, message: string): string {
  if (name === 'read_transcript') {
    return `No transcript with id "${String(id)}". Use a transcript_id from search_library or an id from list_transcripts.`;
  }
  if (name === 'read_conversation') {
    return `No conversation with id "${String(id)}". Use a conversation_id from search_library.`;
  }
  return `${name} failed: ${message}`;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new HubError({
      kind: 'cancelled',
      message: 'The tool call was cancelled.',
      reason: { code: 'toolCallCancelled', values: {} },
    });
  }
}
