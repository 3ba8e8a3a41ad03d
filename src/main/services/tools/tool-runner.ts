import type { ToolCall } from '../../../shared/chat';
import type { ToolContent, ToolResult } from '../../../shared/tools';
import { toAppError } from '../../base/errors';
import type { ToolApprover } from './tool-approval';
import { type NamedTool, nameTools } from './tool-names';
import type { ToolProvider } from './tool-provider';

/** A result's text beyond this many characters is cut, with a note the model reads. */
export const TOOL_RESULT_TEXT_LIMIT = 100_000;
/** An image or audio part larger than this (base64 characters) is replaced by a note. */
const TOOL_RESULT_MEDIA_LIMIT = 8_000_000;

/** What changes on a call as it runs; the loop folds it into the reply. */
export type ToolCallPatch = Partial<Omit<ToolCall, 'id' | 'name' | 'arguments'>>;

/** A tool as the model is offered it. */
export interface OfferedTool extends NamedTool {
  provider: ToolProvider;
}

function errorResult(text: string): ToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** Arguments as the model wrote them, as an object; an empty text is no arguments. */
export function parseToolArguments(text: string): Record<string, unknown> | string {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    return 'The arguments must be a JSON object.';
  } catch (error) {
    return `The arguments are not valid JSON (${error instanceof Error ? error.message : String(error)}).`;
  }
}

/** A result cut to the limits: text over `TOOL_RESULT_TEXT_LIMIT` in all, media over the media limit. */
export function limitToolResult(
  result: ToolResult,
  limit = TOOL_RESULT_TEXT_LIMIT,
): { result: ToolResult; truncatedFrom?: number } {
  let total = 0;
  for (const part of result.content) {
    if (part.type === 'text') total += part.text.length;
    else if (part.type === 'resource') total += part.text?.length ?? 0;
  }
  let left = limit;
  const content: ToolContent[] = [];
  for (const part of result.content) {
    if (part.type === 'text' || (part.type === 'resource' && part.text !== undefined)) {
      const text = part.type === 'text' ? part.text : (part.text ?? '');
      const kept = text.slice(0, Math.max(0, left));
      left -= kept.length;
      if (kept === '' && text !== '') continue;
      content.push(part.type === 'text' ? { type: 'text', text: kept } : { ...part, text: kept });
    } else if (
      (part.type === 'image' || part.type === 'audio') &&
      part.data.length > TOOL_RESULT_MEDIA_LIMIT
    ) {
      content.push({
        type: 'text',
        text: `[An ${part.type} of ${part.data.length.toLocaleString('en')} base64 characters was left out: it is too large to send back.]`,
      });
    } else {
      content.push(part);
    }
  }
  if (total <= limit) return { result: { ...result, content } };
  content.push({
    type: 'text',
    text: `\n[The result was cut: it had ${total.toLocaleString('en')} characters of text; the first ${limit.toLocaleString('en')} are kept.]`,
  });
  return { result: { ...result, content }, truncatedFrom: total };
}

/**
 * Runs the model's tool calls for one chat: offers the tools of its providers under unique wire names, maps a call
 * back to its provider and tool, asks the approver, and calls the tool. Every way a call can go wrong becomes a
 * result the model reads; only a stop ends it early.
 */
export class ToolRunner {
  private offered: OfferedTool[] = [];

  constructor(
    private readonly providers: readonly ToolProvider[],
    private readonly approver: ToolApprover,
    /** The reply the calls belong to, passed on to whoever approves them. */
    private readonly reply: { conversationId?: string; messageId?: string } = {},
  ) {}

  /** Lists the providers' tools. A provider that fails is left out; its error is returned for the log. */
  async offer(signal: AbortSignal): Promise<{ tools: OfferedTool[]; failures: string[] }> {
    const failures: string[] = [];
    const listed = await Promise.all(
      this.providers.map(async (provider) => {
        try {
          const specs = await provider.listTools(signal);
          return specs.map((spec) => ({ spec: { ...spec, server: provider.server }, provider }));
        } catch (error) {
          failures.push(`${provider.server}: ${toAppError(error).message}`);
          return [];
        }
      }),
    );
    const flat = listed.flat();
    const named = nameTools(flat.map((item) => item.spec));
    this.offered = named.map((tool, index) => ({ ...tool, provider: flat[index]?.provider as ToolProvider }));
    return { tools: this.offered, failures };
  }

  /** The steps of one call, as patches: mapped, maybe waiting for approval, running, then how it ended. */
  async *run(call: ToolCall, signal: AbortSignal): AsyncGenerator<ToolCallPatch> {
    const tool = this.offered.find((item) => item.wireName === call.name);
    if (!tool) {
      yield {
        status: 'failed',
        result: errorResult(`There is no tool named "${call.name}". Use one of the tools offered.`),
      };
      return;
    }
    const at = { server: tool.spec.server, tool: tool.spec.name };
    const parsed = parseToolArguments(call.arguments);
    if (typeof parsed === 'string') {
      yield { ...at, status: 'failed', result: errorResult(`${parsed} The tool was not run.`) };
      return;
    }
    if (this.approver.asks) yield { ...at, status: 'waiting' };
    let decision: Awaited<ReturnType<ToolApprover['decide']>>;
    try {
      decision = await abortable(
        this.approver.decide(
          { ...this.reply, callId: call.id, ...at, description: tool.spec.description, arguments: parsed },
          signal,
        ),
        signal,
      );
    } catch (error) {
      if (signal.aborted) {
        yield { ...at, status: 'cancelled', result: errorResult('The user stopped the reply.') };
        return;
      }
      yield {
        ...at,
        status: 'failed',
        error: toAppError(error),
        result: errorResult(toAppError(error).message),
      };
      return;
    }
    if (decision.kind === 'deny') {
      const reason = decision.reason ?? 'The user denied this tool call.';
      yield { ...at, status: 'denied', approval: 'denied', result: errorResult(reason) };
      return;
    }
    const args = decision.kind === 'edit' ? decision.arguments : parsed;
    const approval = decision.kind === 'edit' ? 'edited' : this.approver.asks ? 'allowed' : 'auto';
    const edited = decision.kind === 'edit' ? { runArguments: JSON.stringify(args) } : {};
    yield { ...at, ...edited, status: 'running', approval };
    try {
      const result = await abortable(
        tool.provider.callTool(tool.spec.name, args, signal, this.reply),
        signal,
      );
      const limited = limitToolResult(result);
      yield {
        status: 'done',
        result: limited.result,
        ...(limited.truncatedFrom !== undefined ? { truncatedFrom: limited.truncatedFrom } : {}),
      };
    } catch (error) {
      if (signal.aborted) {
        yield { status: 'cancelled', result: errorResult('The user stopped the reply while the tool ran.') };
        return;
      }
      const appError = toAppError(error);
      yield {
        status: 'failed',
        error: appError,
        result: errorResult(`The tool could not be run: ${appError.message}`),
      };
    }
  }
}

/** `promise`, or a rejection as soon as `signal` aborts (a provider or a hook that ignores the signal). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
