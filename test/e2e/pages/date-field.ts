import type { Page } from 'playwright-core';

/**
 * Picks a `YYYY-MM-DD` day in a date field (day, month and year lists in the UI language's order), the way a
 * person would: year, then month, then day. Names are the English ones unless given.
 */
export async function chooseDay(
  page: Page,
  label: string,
  day: string,
  names: { day: string; month: string; year: string } = { day: 'Day', month: 'Month', year: 'Year' },
): Promise<void> {
  const [year = '', month = '', date = ''] = day.split('-');
  const field = page.getByRole('group', { name: label, exact: true });
  await field.getByRole('combobox', { name: names.year, exact: true }).selectOption(String(Number(year)));
  await field.getByRole('combobox', { name: names.month, exact: true }).selectOption(String(Number(month)));
  await field.getByRole('combobox', { name: names.day, exact: true }).selectOption(String(Number(date)));
}
