import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParamSpec } from '../../../shared/chat-params';
import type { ChatApi } from '../../../shared/models';
import { optionLabel, paramHelp, paramLabel } from './params';

/** One parameter's input (a number, a choice or a list of lines), its error and its help line. */
export function ParamField({
  spec,
  api,
  text,
  error,
  onText,
}: {
  spec: ParamSpec;
  api: ChatApi;
  text: string;
  error: string | null;
  onText: (text: string) => void;
}) {
  const { t } = useTranslation('chat');
  const id = useId();
  const errorId = useId();
  const helpId = useId();
  const describedBy = [helpId, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className="field param-field">
      <label htmlFor={id} className="field-label">
        {paramLabel(spec)}
      </label>
      {spec.kind === 'enum' ? (
        <select
          id={id}
          value={text}
          onChange={(event) => onText(event.target.value)}
          aria-describedby={describedBy}
        >
          <option value="">{t('params.providerDefault')}</option>
          {spec.options?.map((option) => (
            <option key={option} value={option}>
              {optionLabel(option)}
            </option>
          ))}
        </select>
      ) : spec.kind === 'list' ? (
        <textarea
          id={id}
          className="param-list"
          value={text}
          rows={2}
          placeholder={t('params.onePerLine')}
          onChange={(event) => onText(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
      ) : (
        <input
          id={id}
          type="number"
          inputMode={spec.kind === 'integer' ? 'numeric' : 'decimal'}
          min={spec.min}
          max={spec.max}
          step={spec.step}
          value={text}
          placeholder={t('params.default')}
          onChange={(event) => onText(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
      )}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
      <p id={helpId} className="hint">
        {paramHelp(spec, api)}
      </p>
    </div>
  );
}
