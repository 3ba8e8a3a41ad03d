import i18next from 'i18next';
import type { Message } from '../../../shared/chat';
import { modelLabel } from '../../../shared/model-names';
import { numberFormat } from '../ui/format';

const count = (value: number) => numberFormat('count').format(value);

/** The meta line of a reply: model, tokens in/out (cached, reasoning), time to first token, finish reason. */
export function metaParts(message: Message, cost?: string): string[] {
  const parts: string[] = [];
  if (message.model) parts.push(modelLabel(message.model));
  const usage = message.usage;
  if (usage) {
    if (usage.inputTokens !== undefined) {
      const tokens = count(usage.inputTokens);
      parts.push(
        usage.cachedTokens
          ? i18next.t('chat:meta.inCached', { tokens, cached: count(usage.cachedTokens) })
          : i18next.t('chat:meta.in', { tokens }),
      );
    }
    if (usage.outputTokens !== undefined) {
      const tokens = count(usage.outputTokens);
      parts.push(
        usage.reasoningTokens
          ? i18next.t('chat:meta.outReasoning', { tokens, reasoning: count(usage.reasoningTokens) })
          : i18next.t('chat:meta.out', { tokens }),
      );
    }
    if (cost !== undefined) parts.push(i18next.t('chat:meta.cost', { cost }));
  }
  if (message.firstTokenMs !== null) {
    parts.push(i18next.t('chat:meta.firstToken', { time: formatMs(message.firstTokenMs) }));
  }
  if (message.finishReason) {
    parts.push(i18next.t('chat:meta.finish', { reason: finishReasonText(message.finishReason) }));
  }
  return parts;
}

/** The finish reasons the adapters normalize to; any other a provider sends is shown as it came. */
const wordedFinishReasons = [
  'stop',
  'length',
  'tool_calls',
  'content_filter',
  'blocked',
  'cancelled',
] as const;
type WordedFinishReason = (typeof wordedFinishReasons)[number];
const isWorded = (reason: string): reason is WordedFinishReason =>
  (wordedFinishReasons as readonly string[]).includes(reason);

/** A finish reason in the UI language ("length" → "token limit reached"). */
export function finishReasonText(reason: string): string {
  return isWorded(reason) ? i18next.t(`chat:reply.finish.${reason}`) : reason;
}

/** "812 ms", "1.23 s", "12.5 s" (decimals in the UI language's style). */
export function formatMs(ms: number): string {
  if (ms < 1000) {
    return i18next.t('chat:meta.ms', {
      value: numberFormat('ms', { maximumFractionDigits: 0, useGrouping: false }).format(ms),
    });
  }
  const digits = ms < 10_000 ? 2 : 1;
  const seconds = numberFormat(`s${digits}`, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  });
  return i18next.t('chat:meta.seconds', { value: seconds.format(ms / 1000) });
}
