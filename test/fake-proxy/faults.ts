import { z } from 'zod';
import type { Fault, FaultRule, StreamFault } from './types';

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

/** Fault rules, consumed in order of addition; the first rule matching a request applies. */
export class FaultBook {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const times = rule.times ?? 1;
    if (!(times > 0)) throw new Error('times must be > 0');
    this.rules.push({ rule, remaining: times });
  }

  clear(): void {
    this.rules = [];
  }

  take(method: string, pathWithQuery: string): Fault | undefined {
    const index = this.rules.findIndex(
      ({ rule }) =>
        (rule.match === undefined || pathWithQuery.includes(rule.match)) &&
        (rule.method === undefined || rule.method.toUpperCase() === method),
    );
    const active = this.rules[index];
    if (!active) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) this.rules.splice(index, 1);
    return active.rule.fault;
  }
}

export function isStreamFault(fault: Fault): fault is StreamFault {
  return ['cut', 'malformed', 'trickle', 'pings', 'midstream-error', 'drip'].includes(fault.type);
}

const nonNegative = z.number().int().min(0);

const faultSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('latency'), ms: nonNegative }),
  z.object({
    type: z.literal('status'),
    status: z.number().int().min(100).max(599),
    retryAfter: z.string().optional(),
    retryAfterMs: z.number().optional(),
    retryInfoDelay: z.string().optional(),
    message: z.string().optional(),
    code: z.string().optional(),
  }),
  z.object({ type: z.literal('html'), status: z.number().int().min(100).max(599).optional() }),
  z.object({ type: z.literal('kling-code'), code: z.number().int(), message: z.string().optional() }),
  z.object({ type: z.literal('cut'), afterEvents: nonNegative }),
  z.object({ type: z.literal('malformed'), afterEvents: nonNegative }),
  z.object({ type: z.literal('trickle'), delayMs: nonNegative }),
  z.object({ type: z.literal('pings'), everyMs: nonNegative, count: nonNegative }),
  z.object({ type: z.literal('drip'), byteMs: nonNegative }),
  z.object({ type: z.literal('midstream-error'), afterEvents: nonNegative.optional() }),
  z.object({ type: z.literal('reset') }),
  z.object({ type: z.literal('hang') }),
  z.object({ type: z.literal('cut-bytes'), afterBytes: nonNegative }),
]);

const ruleSchema = z.object({
  match: z.string().optional(),
  method: z.string().optional(),
  times: z.number().int().positive().nullable().optional(),
  fault: faultSchema,
});

/** A rule posted to the control API; `times: null` means Infinity (JSON has no Infinity). */
export function parseFaultRule(value: unknown): FaultRule {
  const parsed = ruleSchema.parse(value);
  const rule: FaultRule = { fault: parsed.fault };
  if (parsed.match !== undefined) rule.match = parsed.match;
  if (parsed.method !== undefined) rule.method = parsed.method;
  if (parsed.times !== undefined)
    rule.times = parsed.times === null ? Number.POSITIVE_INFINITY : parsed.times;
  return rule;
}
