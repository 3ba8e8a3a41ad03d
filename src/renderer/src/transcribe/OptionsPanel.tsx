import { useId } from 'react';
import {
  type ModelCapability,
  type TranscriptionCapabilities,
  type TranscriptionModel,
  transcriptionModels,
} from '../../../shared/transcription';
import { commonLanguages, languageProblem, type OptionsDraft } from './options';

function gains(model: ModelCapability): string {
  const parts: string[] = [];
  if (model.segmentTimestamps && model.wordTimestamps) parts.push('timestamps for every segment and word');
  else if (model.segmentTimestamps) parts.push('timestamps for every segment');
  if (model.detectsLanguage) parts.push('detects the language');
  return parts.length > 0 ? `Gives ${parts.join(', and ')}.` : '';
}

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
  const id = useId();
  const models: { id: TranscriptionModel; label: string }[] =
    capabilities?.models ?? transcriptionModels.map((model) => ({ id: model, label: model }));
  const chosen = capabilities?.models.find((model) => model.id === draft.model) ?? null;
  const problem = languageProblem(draft.language);
  const set = <K extends keyof OptionsDraft>(key: K, value: OptionsDraft[K]) =>
    onChange({ ...draft, [key]: value });

  return (
    <div className="tx-options">
      <h2 className="tx-section-title">Options for new files</h2>
      <div className="tx-field">
        <label className="tx-label" htmlFor={`${id}-model`}>
          Model
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
          {chosen && chosen.givesUp.length > 0 ? (
            <div className="tx-gives-up">
              <p>{chosen.givesUp[0]}</p>
              {chosen.givesUp.length > 1 ? (
                <details>
                  <summary>
                    {chosen.givesUp.length - 1} more{' '}
                    {chosen.givesUp.length === 2 ? 'trade-off' : 'trade-offs'}
                  </summary>
                  <ul>
                    {chosen.givesUp.slice(1).map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </div>
          ) : chosen ? (
            <p className="tx-gains">{gains(chosen)}</p>
          ) : null}
        </div>
      </div>

      <div className="tx-field-row">
        <div className="tx-field">
          <label className="tx-label" htmlFor={`${id}-language`}>
            Language
          </label>
          <input
            id={`${id}-language`}
            list={`${id}-languages`}
            value={draft.language}
            placeholder="Detect"
            maxLength={20}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-language-error` : undefined}
            onChange={(event) => set('language', event.target.value)}
          />
          <datalist id={`${id}-languages`}>
            {commonLanguages.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </datalist>
        </div>
        <div className="tx-field">
          <label className="tx-label" htmlFor={`${id}-temperature`}>
            Temperature
            <span className="tx-label-value">
              {draft.temperature > 0 ? draft.temperature.toFixed(1) : 'Auto'}
            </span>
          </label>
          <input
            id={`${id}-temperature`}
            type="range"
            min={0}
            max={1}
            step={0.1}
            value={draft.temperature}
            aria-valuetext={draft.temperature > 0 ? draft.temperature.toFixed(1) : 'Auto'}
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
          Prompt <span className="tx-optional">optional</span>
        </label>
        <textarea
          id={`${id}-prompt`}
          rows={2}
          maxLength={2000}
          value={draft.prompt}
          placeholder="Names, terms or style to expect, in the audio’s language"
          onChange={(event) => set('prompt', event.target.value)}
        />
      </div>

      <label className="tx-check">
        <input
          type="checkbox"
          checked={draft.keepCopy}
          onChange={(event) => set('keepCopy', event.target.checked)}
        />
        <span>Copy the audio into the library, so it plays even if the original moves</span>
      </label>
    </div>
  );
}
