import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type TranscriptionCapabilities,
  type TranscriptionModel,
  transcriptionModels,
} from '../../../shared/transcription';
import { currentLanguage } from '../i18n';
import { commonLanguages, languageProblem, modelGains, modelGivesUp, type OptionsDraft } from './options';

/** Model, language, prompt and temperature for the files added next, and what the chosen model gives up. */
export function OptionsPanel({
  draft,
  capabilities,
  onChange,
}: {
  draft: OptionsDraft;
  capabilities: TranscriptionCapabilities | null;
  onChange: (draft: OptionsDraft) => void;
}) {
  const { t } = useTranslation('transcribe');
  const id = useId();
  const models: { id: TranscriptionModel; label: string }[] =
    capabilities?.models ?? transcriptionModels.map((model) => ({ id: model, label: model }));
  const chosen = capabilities?.models.find((model) => model.id === draft.model) ?? null;
  const givesUp = chosen ? modelGivesUp(chosen) : [];
  const problem = languageProblem(draft.language);
  const temperature = draft.temperature.toLocaleString(currentLanguage(), {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const set = <K extends keyof OptionsDraft>(key: K, value: OptionsDraft[K]) =>
    onChange({ ...draft, [key]: value });

  return (
    <div className="tx-options">
      <h2 className="tx-section-title">{t('options.title')}</h2>
      <div className="tx-field">
        <label className="tx-label" htmlFor={`${id}-model`}>
          {t('options.model')}
        </label>
        <select
          id={`${id}-model`}
          value={draft.model}
          onChange={(event) => set('model', event.target.value as TranscriptionModel)}
          aria-describedby={`${id}-model-notes`}
        >
          {models.map((model) => (
            <option key={model.id} value={model.id}>
              {model.label}
            </option>
          ))}
        </select>
        <div id={`${id}-model-notes`} className="tx-model-notes">
          {givesUp.length > 0 ? (
            <div className="tx-gives-up">
              <p>{givesUp[0]}</p>
              {givesUp.length > 1 ? (
                <details>
                  <summary>{t('options.moreTradeOffs', { count: givesUp.length - 1 })}</summary>
                  <ul>
                    {givesUp.slice(1).map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </div>
          ) : chosen ? (
            <p className="tx-gains">{modelGains(chosen)}</p>
          ) : null}
        </div>
      </div>

      <div className="tx-field-row">
        <div className="tx-field">
          <label className="tx-label" htmlFor={`${id}-language`}>
            {t('options.language')}
          </label>
          <input
            id={`${id}-language`}
            list={`${id}-languages`}
            value={draft.language}
            placeholder={t('options.detect')}
            maxLength={20}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-language-error` : undefined}
            onChange={(event) => set('language', event.target.value)}
          />
          <datalist id={`${id}-languages`}>
            {commonLanguages().map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </datalist>
        </div>
        <div className="tx-field">
          <label className="tx-label" htmlFor={`${id}-temperature`}>
            {t('options.temperature')}
            <span className="tx-label-value">{draft.temperature > 0 ? temperature : t('options.auto')}</span>
          </label>
          <input
            id={`${id}-temperature`}
            type="range"
            min={0}
            max={1}
            step={0.1}
            value={draft.temperature}
            aria-valuetext={draft.temperature > 0 ? temperature : t('options.auto')}
            onChange={(event) => set('temperature', Number(event.target.value))}
          />
        </div>
      </div>
      {problem ? (
        <p id={`${id}-language-error`} className="field-error">
          {problem}
        </p>
      ) : null}

      <div className="tx-field">
        <label className="tx-label" htmlFor={`${id}-prompt`}>
          {t('options.prompt')} <span className="tx-optional">{t('options.optional')}</span>
        </label>
        <textarea
          id={`${id}-prompt`}
          rows={2}
          maxLength={2000}
          value={draft.prompt}
          placeholder={t('options.promptPlaceholder')}
          onChange={(event) => set('prompt', event.target.value)}
        />
      </div>

      <label className="tx-check">
        <input
          type="checkbox"
          checked={draft.keepCopy}
          onChange={(event) => set('keepCopy', event.target.checked)}
        />
        <span>{t('options.keepCopy')}</span>
      </label>
    </div>
  );
}
