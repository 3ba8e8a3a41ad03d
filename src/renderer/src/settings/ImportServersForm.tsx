import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { ImportResult } from '../../../shared/tools-channels';
import { call, messageFor, reasonText, toAppError } from '../hub';
import { ErrorNote, FieldError, inputIssueText } from '../ui/errors';

/** Adds the servers of a pasted `{"mcpServers": {…}}` (Claude Desktop, Cursor, Cline…); says what was added and skipped. */
export function ImportServersForm({ onImported }: { onImported: () => void }) {
  const { t } = useTranslation('settings');
  const [json, setJson] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const ids = { json: useId(), error: useId(), hint: useId(), result: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setResult(null);
    if (json.trim() === '') {
      setError({ kind: 'invalid_input', field: 'json', message: t('tools.import.empty') });
      return;
    }
    setBusy(true);
    try {
      const imported = await call('tools.importJson', { json });
      setResult(imported);
      setJson('');
      if (imported.added.length > 0) onImported();
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  };

  const message =
    error?.kind === 'invalid_input' && error.field
      ? error.input
        ? inputIssueText(error.input, error.field)
        : messageFor(error)
      : null;

  return (
    <form className="stack tool-import-form" onSubmit={(event) => void submit(event)} noValidate>
      <h3>{t('tools.import.title')}</h3>
      <div className="field">
        <label htmlFor={ids.json} className="label">
          {t('tools.import.label')}
        </label>
        <textarea
          id={ids.json}
          className="tool-json"
          rows={6}
          value={json}
          spellCheck={false}
          placeholder={'{ "mcpServers": { … } }'}
          onChange={(event) => {
            setJson(event.target.value);
            setResult(null);
          }}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? ids.error : ids.hint}
        />
        <FieldError id={ids.error} message={message} />
        {message ? null : (
          <p id={ids.hint} className="hint">
            {t('tools.import.hint')}
          </p>
        )}
      </div>
      <div className="button-row">
        <button type="submit" className="button" disabled={busy} aria-busy={busy}>
          {busy ? <span className="spinner" aria-hidden="true" /> : null}
          {busy ? t('tools.import.importing') : t('tools.import.submit')}
        </button>
      </div>
      <div role="status" aria-live="polite" data-testid="tool-import-result">
        {result ? (
          <>
            <p className="saved-note">
              {result.added.length > 0
                ? t('tools.import.added', { count: result.added.length, names: result.added.join(', ') })
                : t('tools.import.noneAdded')}
            </p>
            {result.skipped.length > 0 ? (
              <ul className="tool-import-skipped">
                {result.skipped.map((skipped) => (
                  <li key={skipped.name}>
                    {t('tools.import.skipped', {
                      name: skipped.name,
                      reason: reasonText(skipped.why, skipped.reason),
                    })}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </div>
      {error && !message ? <ErrorNote error={error} /> : null}
    </form>
  );
}
