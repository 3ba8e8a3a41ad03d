import './date-field.css';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';

type Part = 'day' | 'month' | 'year';

/** How many years back the year list reaches from the current one (and always to the value's own year). */
const YEARS_BACK = 10;

const markers: Record<Part, string> = { day: '\u0001', month: '\u0002', year: '\u0003' };

/** The order of day, month and year as this page writes a day in the UI language (`format` a day of markers). */
function partOrder(format: (parts: Record<Part, string>) => string): Part[] {
  const written = format(markers);
  const parts: Part[] = ['day', 'month', 'year'];
  return parts.sort((a, b) => written.indexOf(markers[a]) - written.indexOf(markers[b]));
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A `YYYY-MM-DD` day picked as day, month and year in the order and words of the UI language. A native date input
 * would follow the system's locale instead (month first on an English system, whatever the window's language).
 */
export function DateField({
  label,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  value: string;
  min?: string;
  max?: string;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation('usage');
  const language = currentLanguage();
  const [year = 1970, month = 1, day = 1] = value.split('-').map(Number);
  const thisYear = new Date().getFullYear();
  const firstYear = Math.min(year, Number(min?.slice(0, 4) ?? thisYear) || thisYear, thisYear - YEARS_BACK);
  const lastYear = Math.max(year, thisYear);
  const monthName = new Intl.DateTimeFormat(language, { month: 'short', timeZone: 'UTC' });

  const choose = (part: Part, chosen: number) => {
    const next = { year, month, day, [part]: chosen };
    const date = `${next.year}-${pad(next.month)}-${pad(Math.min(next.day, daysIn(next.year, next.month)))}`;
    if (min && date < min) onChange(min);
    else if (max && date > max) onChange(max);
    else onChange(date);
  };

  const fields: Record<Part, { options: { value: number; text: string }[]; current: number }> = {
    day: {
      current: day,
      options: Array.from({ length: daysIn(year, month) }, (_, index) => ({
        value: index + 1,
        text: String(index + 1),
      })),
    },
    month: {
      current: month,
      options: Array.from({ length: 12 }, (_, index) => ({
        value: index + 1,
        text: monthName.format(new Date(Date.UTC(2000, index, 1))),
      })),
    },
    year: {
      current: year,
      options: Array.from({ length: lastYear - firstYear + 1 }, (_, index) => ({
        value: firstYear + index,
        text: String(firstYear + index),
      })),
    },
  };

  return (
    <fieldset className="field date-field" lang={language}>
      <legend className="label">{label}</legend>
      <div className="date-field-parts">
        {partOrder((parts) => t('format.day', parts)).map((part) => (
          <select
            key={part}
            className={`date-field-${part}`}
            aria-label={t(`dateField.${part}`)}
            value={fields[part].current}
            onChange={(event) => choose(part, Number(event.target.value))}
          >
            {fields[part].options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.text}
              </option>
            ))}
          </select>
        ))}
      </div>
    </fieldset>
  );
}
