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

/** The named period a conversation falls in; null when it is older than 30 days (grouped by month). */
function recentKey(item: ConversationSummary, bounds: ReturnType<typeof limits>): DateGroupKey | null {
  if (item.pinned) return { kind: 'pinned' };
  const at = item.updatedAt;
  if (at >= bounds.today) return { kind: 'today' };
  if (at >= bounds.yesterday) return { kind: 'yesterday' };
  if (at >= bounds.week) return { kind: 'week' };
  if (at >= bounds.month) return { kind: 'month' };
  return null;
}

function idOf(key: DateGroupKey): string {
  return key.kind === 'calendar' ? `${key.year}-${String(key.month + 1).padStart(2, '0')}` : key.kind;
}

/** The local-time month holding `at`, and where it starts and ends (epoch ms). */
function monthOf(at: number): { key: DateGroupKey; from: number; to: number } {
  const date = new Date(at);
  const year = date.getFullYear();
  const month = date.getMonth();
  return {
    key: { kind: 'calendar', year, month },
    from: new Date(year, month, 1).getTime(),
    to: new Date(year, month + 1, 1).getTime(),
  };
}

/**
 * The list cut into its groups in one pass. The list comes sorted (pinned first, then newest first), so each group's
 * conversations are next to each other and keep their order; a month's dates are worked out once per month.
 */
export function groupByDate(list: readonly ConversationSummary[], now: number): DateGroup[] {
  const bounds = limits(now);
  const groups: DateGroup[] = [];
  let last: DateGroup | undefined;
  let month: ReturnType<typeof monthOf> | undefined;
  for (const item of list) {
    let key = recentKey(item, bounds);
    if (!key) {
      if (!month || item.updatedAt < month.from || item.updatedAt >= month.to)
        month = monthOf(item.updatedAt);
      key = month.key;
    }
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
