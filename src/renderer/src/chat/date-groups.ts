import type { ConversationSummary } from '../../../shared/chat';

/** Where a conversation sits in the list: pinned, by how recent its last change is, then by calendar month. */
export type DateGroupKey =
  | { kind: 'pinned' | 'today' | 'yesterday' | 'week' | 'month' }
  | { kind: 'calendar'; year: number; month: number };

export interface DateGroup {
  /** Stable across renders: a React key and a test handle. */
  id: string;
  key: DateGroupKey;
  items: ConversationSummary[];
}

function daysBefore(start: Date, days: number): number {
  const day = new Date(start);
  day.setDate(day.getDate() - days);
  return day.getTime();
}

/** The local-time limits of each recent group, as epoch ms: a conversation belongs to the first it is not older than. */
function limits(now: number) {
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  return {
    today: today.getTime(),
    yesterday: daysBefore(today, 1),
    week: daysBefore(today, 7),
    month: daysBefore(today, 30),
  };
}

function keyOf(item: ConversationSummary, bounds: ReturnType<typeof limits>): DateGroupKey {
  if (item.pinned) return { kind: 'pinned' };
  const at = item.updatedAt;
  if (at >= bounds.today) return { kind: 'today' };
  if (at >= bounds.yesterday) return { kind: 'yesterday' };
  if (at >= bounds.week) return { kind: 'week' };
  if (at >= bounds.month) return { kind: 'month' };
  const date = new Date(at);
  return { kind: 'calendar', year: date.getFullYear(), month: date.getMonth() };
}

function idOf(key: DateGroupKey): string {
  return key.kind === 'calendar' ? `${key.year}-${String(key.month + 1).padStart(2, '0')}` : key.kind;
}

/**
 * The list cut into its groups in one pass. The list comes sorted (pinned first, then newest first), so each group's
 * conversations are next to each other and keep their order.
 */
export function groupByDate(list: readonly ConversationSummary[], now: number): DateGroup[] {
  const bounds = limits(now);
  const groups: DateGroup[] = [];
  let last: DateGroup | undefined;
  for (const item of list) {
    const key = keyOf(item, bounds);
    const id = idOf(key);
    if (last?.id !== id) {
      last = groups.find((group) => group.id === id);
      if (!last) {
        last = { id, key, items: [] };
        groups.push(last);
      }
    }
    last.items.push(item);
  }
  return groups;
}
