import { describe, expect, it } from 'vitest';
import { groupByDate } from '../src/renderer/src/chat/date-groups';
import type { ConversationSummary } from '../src/shared/chat';

const at = (year: number, month: number, day: number, hour = 12, minute = 0) =>
  new Date(year, month - 1, day, hour, minute).getTime();

function chat(title: string, updatedAt: number, pinned = false): ConversationSummary {
  return { id: title, title, pinned, model: 'gpt-4.1-mini', updatedAt, preview: '', messageCount: 1 };
}

const groups = (list: ConversationSummary[], now: number) =>
  groupByDate(list, now).map((group) => [group.id, group.items.map((item) => item.title)]);

describe('the conversation list by date (local calendar days)', () => {
  const now = at(2026, 3, 10, 9, 30);

  it('puts each conversation in its period, pinned first, in the list’s order', () => {
    const list = [
      chat('pinned long ago', at(2024, 5, 1), true),
      chat('this morning', at(2026, 3, 10, 0, 5)),
      chat('late last night', at(2026, 3, 9, 23, 59)),
      chat('yesterday morning', at(2026, 3, 9, 0, 0)),
      chat('the day before', at(2026, 3, 8, 23, 0)),
      chat('a week ago to the day', at(2026, 3, 3, 0, 0)),
      chat('eight days ago', at(2026, 3, 2, 18, 0)),
      chat('thirty days ago', at(2026, 2, 8, 0, 0)),
      chat('thirty-one days ago', at(2026, 2, 7, 23, 0)),
      chat('early February', at(2026, 2, 1)),
      chat('New Year', at(2026, 1, 1, 0, 0)),
      chat('New Year’s Eve', at(2025, 12, 31, 23, 59)),
    ];
    expect(groups(list, now)).toEqual([
      ['pinned', ['pinned long ago']],
      ['today', ['this morning']],
      ['yesterday', ['late last night', 'yesterday morning']],
      ['week', ['the day before', 'a week ago to the day']],
      ['month', ['eight days ago', 'thirty days ago']],
      ['2026-02', ['thirty-one days ago', 'early February']],
      ['2026-01', ['New Year']],
      ['2025-12', ['New Year’s Eve']],
    ]);
  });

  it('leaves out periods with no conversation and shows an empty list as no groups', () => {
    expect(groups([chat('only', at(2025, 7, 4))], now)).toEqual([['2025-07', ['only']]]);
    expect(groups([], now)).toEqual([]);
  });
});
