import type { TFunction } from 'i18next';
import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { VideoOptionSpec } from '../../../shared/videos/vendor-specs';
import type { OptionValue } from './create-form';
import { optionLabel, optionValueText } from './display-text';

function rangeHint(
  spec: { key: string; min: number; max: number },
  unit: string | null,
  t: TFunction<'videos'>,
): string {
  if (spec.key === 'seed') return spec.min < 0 ? t('create.seedNegative') : t('create.seedEmpty');
  return `${spec.min}–${spec.max}${unit ? ` ${unit}` : ''}`;
}

/** One option of the create form, drawn by its spec: a switch, a list, a number with its unit or a text. */
export function OptionField({
  spec,
  value,
  problem,
  onChange,
}: {
  spec: VideoOptionSpec;
  value: OptionValue;
  problem: string | undefined;
  onChange: (value: OptionValue) => void;
}) {
  const { t } = useTranslation('videos');
  const id = useId();
  const { name, unit } = optionLabel(spec);
  const invalid = problem ? true : undefined;
  const describedBy = problem ? `${id}-error` : undefined;
  const error = problem ? (
    <span id={`${id}-error`} className="field-error">
      {problem}
    </span>
  ) : null;

  if (spec.type === 'boolean') {
    return (
      <div className="video-option video-option-check">
        <label className="video-switch">
          <input
            type="checkbox"
            checked={value === true}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(event) => onChange(event.target.checked)}
          />
          <span className="video-switch-track" aria-hidden="true" />
          <span>{name}</span>
        </label>
        {error}
      </div>
    );
  }

  const text = typeof value === 'string' ? value : '';
  let control: ReactNode;
  if (spec.type === 'enum' || (spec.type === 'integer' && spec.allowed)) {
    const values = spec.type === 'enum' ? spec.values : (spec.allowed ?? []).map(String);
    const hasDefault = spec.default !== undefined;
    control = (
      <select
        id={id}
        value={text}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onChange={(event) => onChange(event.target.value)}
      >
        {hasDefault ? null : <option value="">{t('create.vendorDefault')}</option>}
        {values.map((option) => (
          <option key={option} value={option}>
            {unit ? `${option} ${unit}` : optionValueText(option)}
          </option>
        ))}
      </select>
    );
  } else if (spec.type === 'integer' || spec.type === 'number') {
    control = (
      <span className="video-input-unit">
        <input
          id={id}
          type="number"
          inputMode={spec.type === 'integer' ? 'numeric' : 'decimal'}
          min={spec.min}
          max={spec.max}
          step={spec.type === 'number' ? spec.step : 1}
          value={text}
          placeholder={
            spec.default !== undefined
              ? undefined
              : spec.key === 'seed'
                ? t('create.random')
                : t('create.vendorDefault')
          }
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
        />
        {unit ? <span aria-hidden="true">{unit}</span> : null}
      </span>
    );
  } else {
    control = (
      <input
        id={id}
        type="text"
        value={text}
        maxLength={spec.maxLength}
        placeholder={t('create.negativePlaceholder')}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onChange={(event) => onChange(event.target.value)}
      />
    );
  }
  return (
    <div className={`video-option${spec.type === 'text' ? ' video-option-wide' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {name}
      </label>
      {control}
      {spec.type === 'integer' && !spec.allowed ? (
        <span className="hint">{rangeHint(spec, unit, t)}</span>
      ) : null}
      {error}
    </div>
  );
}
