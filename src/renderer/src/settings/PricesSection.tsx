import './prices-section.css';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Price,
  type PriceKey,
  type PriceKind,
  type PriceRow,
  priceKeyText,
  priceKinds,
} from '../../../shared/costs';
import type { PricesState } from '../../../shared/costs-channels';
import type { AppError } from '../../../shared/errors';
import { videoVendorLabels } from '../../../shared/videos/job';
import { call, toAppError, useHubEvent } from '../hub';
import { costText } from '../prices';
import { ErrorNote } from '../ui/errors';
import { AddPrice } from './AddPriceForm';
import { type Drafts, draftsOf, type Problems, priceFrom, rateFields, rateOf } from './price-input';

/** Settings → Prices: what each model costs, in US dollars; the user sets, edits and resets each row. */
export function PricesSection() {
  const { t } = useTranslation('settings');
  const [state, setState] = useState<PricesState | null>(null);
  const [kind, setKind] = useState<PriceKind>('tokens');
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const ids = { title: useId(), filter: useId() };

  useEffect(() => {
    let live = true;
    call('prices.list', {})
      .then((value) => live && setState(value))
      .catch((cause: unknown) => live && setError(toAppError(cause)));
    return () => {
      live = false;
    };
  }, []);
  useHubEvent('prices.changed', setState);

  const save = async (price: Price): Promise<boolean> => {
    setError(null);
    try {
      setState(await call('prices.set', { price }));
      return true;
    } catch (cause) {
      setError(toAppError(cause));
      return false;
    }
  };
  const reset = async (key: PriceKey) => {
    setError(null);
    try {
      setState(await call('prices.reset', { key }));
    } catch (cause) {
      setError(toAppError(cause));
    }
  };

  const needle = filter.trim().toLowerCase();
  const rows = (state?.rows ?? []).filter(
    (row) =>
      row.key.kind === kind &&
      (needle === '' ||
        row.key.model.toLowerCase().includes(needle) ||
        (row.key.kind === 'video' && row.key.vendor.includes(needle))),
  );
  const priced = (state?.rows ?? []).filter((row) => row.price !== null).length;

  return (
    <section className="card prices-section" aria-labelledby={ids.title}>
      <div className="card-header">
        <h2 id={ids.title}>{t('prices.title')}</h2>
        <p className="muted">{t('prices.description')}</p>
        <p className="muted">{t('prices.pricedCount', { count: priced })}</p>
      </div>
      <div className="prices-toolbar">
        <fieldset className="prices-kinds">
          <legend className="label">{t('prices.kindLegend')}</legend>
          {priceKinds.map((item) => (
            <button
              key={item}
              type="button"
              className={item === kind ? 'button button-primary' : 'button'}
              aria-pressed={item === kind}
              onClick={() => {
                setKind(item);
                setEditing(null);
              }}
            >
              {t(`prices.kinds.${item}`)}
            </button>
          ))}
        </fieldset>
        <label className="field prices-filter" htmlFor={ids.filter}>
          <span className="label">{t('prices.filter')}</span>
          <input
            id={ids.filter}
            type="search"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            placeholder={t('prices.filterPlaceholder')}
            spellCheck={false}
          />
        </label>
      </div>
      <p className="hint">{t(`prices.units.${kind}`)}</p>
      {state ? (
        <table className="prices-table" data-testid="prices-table">
          <thead>
            <tr>
              <th scope="col">
                {kind === 'video' ? t('prices.columns.vendorModel') : t('prices.columns.model')}
              </th>
              {rateFields[kind].map((field) => (
                <th key={field} scope="col">
                  {t(`prices.fields.${field}`)}
                </th>
              ))}
              <th scope="col">
                <span className="prices-hidden">{t('prices.columns.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const key = priceKeyText(row.key);
              return editing === key ? (
                <EditRow key={key} row={row} onSave={save} onDone={() => setEditing(null)} />
              ) : (
                <ViewRow
                  key={key}
                  row={row}
                  onEdit={() => setEditing(key)}
                  onReset={() => void reset(row.key)}
                />
              );
            })}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={rateFields[kind].length + 2} className="muted">
                  {t('prices.noMatch')}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      <AddPrice kind={kind} onSave={save} />
    </section>
  );
}

/** The row's name as read aloud and in the CLI: vendor, model and resolution. */
function rowLabel(key: PriceKey, t: ReturnType<typeof useTranslation<'settings'>>['t']): string {
  if (key.kind !== 'video') return key.model;
  const resolution = key.resolution === '' ? t('prices.anyResolution') : key.resolution;
  return `${videoVendorLabels[key.vendor]} · ${key.model} · ${resolution}`;
}

function RowName({ rowKey }: { rowKey: PriceKey }) {
  const { t } = useTranslation('settings');
  if (rowKey.kind !== 'video') return <code>{rowKey.model}</code>;
  return (
    <span className="prices-video-name">
      {videoVendorLabels[rowKey.vendor]} · <code>{rowKey.model}</code> ·{' '}
      <span className={rowKey.resolution === '' ? 'muted' : undefined}>
        {rowKey.resolution === '' ? t('prices.anyResolution') : rowKey.resolution}
      </span>
    </span>
  );
}

function ViewRow({ row, onEdit, onReset }: { row: PriceRow; onEdit: () => void; onReset: () => void }) {
  const { t } = useTranslation('settings');
  const fields = rateFields[row.key.kind];
  const label = rowLabel(row.key, t);
  return (
    <tr data-testid="price-row" data-model={row.key.model}>
      <th scope="row">
        <RowName rowKey={row.key} />
        {row.source === 'user' ? <span className="badge badge-neutral">{t('prices.yours')}</span> : null}
      </th>
      {row.price ? (
        fields.map((field) => {
          const value = rateOf(row.price, field);
          return (
            <td key={field}>
              {value === null ? <span className="muted">{t('prices.sameAsInput')}</span> : costText(value)}
            </td>
          );
        })
      ) : (
        <td colSpan={fields.length} className="muted">
          {t('prices.noPrice')}
        </td>
      )}
      <td className="prices-actions">
        <button
          type="button"
          className="button prices-button"
          onClick={onEdit}
          aria-label={t('prices.actionFor', {
            action: row.price ? t('prices.edit') : t('prices.set'),
            model: label,
          })}
        >
          {row.price ? t('prices.edit') : t('prices.set')}
        </button>
        {row.source === 'user' ? (
          <button
            type="button"
            className="button prices-button"
            onClick={onReset}
            aria-label={t('prices.actionFor', { action: t('prices.reset'), model: label })}
          >
            {t('prices.reset')}
          </button>
        ) : null}
      </td>
    </tr>
  );
}

function EditRow({
  row,
  onSave,
  onDone,
}: {
  row: PriceRow;
  onSave: (price: Price) => Promise<boolean>;
  onDone: () => void;
}) {
  const { t } = useTranslation('settings');
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(row));
  const [problems, setProblems] = useState<Problems>({});
  const first = useRef<HTMLInputElement>(null);
  const baseId = useId();
  const fields = rateFields[row.key.kind];
  const label = rowLabel(row.key, t);

  useEffect(() => first.current?.focus(), []);

  const submit = async () => {
    const result = priceFrom(row.key, drafts);
    if ('problems' in result) {
      setProblems(result.problems);
      return;
    }
    if (await onSave(result.price)) onDone();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onDone();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <tr className="price-editing" data-testid="price-row-editing">
      <th scope="row">
        <RowName rowKey={row.key} />
      </th>
      {fields.map((field, index) => {
        const id = `${baseId}-${field}`;
        const problem = problems[field];
        return (
          <td key={field}>
            <input
              id={id}
              ref={index === 0 ? first : undefined}
              inputMode="decimal"
              value={drafts[field] ?? ''}
              placeholder={field === 'cached' ? t('prices.sameAsInput') : '0.00'}
              aria-label={t('prices.fieldFor', { field: t(`prices.fields.${field}`), model: label })}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${id}-error` : undefined}
              onChange={(event) => setDrafts((current) => ({ ...current, [field]: event.target.value }))}
              onKeyDown={onKeyDown}
            />
            {problem ? (
              <p id={`${id}-error`} className="field-error">
                {t(`prices.problems.${problem}`, { field: t(`prices.fields.${field}`) })}
              </p>
            ) : null}
          </td>
        );
      })}
      <td className="prices-actions">
        <button type="button" className="button button-primary prices-button" onClick={() => void submit()}>
          {t('prices.save')}
        </button>
        <button type="button" className="button prices-button" onClick={onDone}>
          {t('prices.cancel')}
        </button>
      </td>
    </tr>
  );
}
