import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import {
  editorIdSchema,
  editorNames,
  type SourceEditorChoice,
  type SourceEditorState,
} from '../../../shared/source-editor';
import { call, toAppError, useHubEvent } from '../hub';
import { ErrorNote } from '../ui/errors';

const SYSTEM = 'system';
const CUSTOM = 'custom';

function pickedValue(choice: SourceEditorChoice): string {
  return choice.kind === 'editor' ? choice.editor : choice.kind;
}

/** Settings → Opening sources: which program opens a cited text or code file at its line. */
export function SourceEditorSection() {
  const { t } = useTranslation('settings');
  const [state, setState] = useState<SourceEditorState | null>(null);
  const [picked, setPicked] = useState<string>(SYSTEM);
  const [command, setCommand] = useState('');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const ids = { title: useId(), select: useId(), hint: useId(), command: useId(), commandHint: useId() };

  const show = useCallback((next: SourceEditorState) => {
    setState(next);
    setPicked(pickedValue(next.choice));
    if (next.choice.kind === 'custom') setCommand(next.choice.command);
  }, []);

  useEffect(() => {
    let live = true;
    call('editor.get', {})
      .then((value) => live && show(value))
      .catch((cause: unknown) => live && setError(toAppError(cause)));
    return () => {
      live = false;
    };
  }, [show]);
  useHubEvent('editor.changed', () => {
    void call('editor.get', {}).then(show, () => undefined);
  });

  const choose = async (choice: SourceEditorChoice) => {
    setError(null);
    setSaved(false);
    try {
      show(await call('editor.set', { choice }));
      setSaved(true);
    } catch (cause) {
      setError(toAppError(cause));
    }
  };

  const pick = (value: string) => {
    setPicked(value);
    if (value === SYSTEM) void choose({ kind: 'system' });
    const editor = editorIdSchema.safeParse(value);
    if (editor.success) void choose({ kind: 'editor', editor: editor.data });
    if (value === CUSTOM) setSaved(false);
  };

  const saveCommand = (event: FormEvent) => {
    event.preventDefault();
    void choose({ kind: 'custom', command });
  };

  const chosen = state?.choice;
  // An editor chosen earlier and no longer found stays listed, so the list shows what is chosen.
  const missing =
    chosen?.kind === 'editor' && !state?.editors.some((editor) => editor.id === chosen.editor)
      ? chosen.editor
      : null;
  return (
    <section className="card" aria-labelledby={ids.title}>
      <div className="card-header">
        <h2 id={ids.title}>{t('sourceEditor.title')}</h2>
        <p className="muted" id={ids.hint}>
          {t('sourceEditor.description')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.select} className="label">
          {t('sourceEditor.label')}
        </label>
        <select
          id={ids.select}
          value={picked}
          disabled={!state}
          aria-describedby={ids.hint}
          onChange={(event) => pick(event.target.value)}
        >
          <option value={SYSTEM}>{t('sourceEditor.system')}</option>
          {state?.editors.map((editor) => (
            <option key={editor.id} value={editor.id}>
              {editor.name}
            </option>
          ))}
          {missing ? (
            <option value={missing}>{t('sourceEditor.notFound', { editor: editorNames[missing] })}</option>
          ) : null}
          <option value={CUSTOM}>{t('sourceEditor.custom')}</option>
        </select>
        {state && state.editors.length === 0 ? <p className="hint">{t('sourceEditor.noneFound')}</p> : null}
      </div>
      {picked === CUSTOM ? (
        <form className="field" onSubmit={saveCommand}>
          <label htmlFor={ids.command} className="label">
            {t('sourceEditor.command')}
          </label>
          <input
            id={ids.command}
            type="text"
            spellCheck={false}
            value={command}
            placeholder={t('sourceEditor.commandPlaceholder')}
            aria-describedby={ids.commandHint}
            onChange={(event) => {
              setCommand(event.target.value);
              setSaved(false);
            }}
          />
          <p id={ids.commandHint} className="hint">
            {t('sourceEditor.commandHint')}
          </p>
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={command.trim() === ''}>
              {t('sourceEditor.save')}
            </button>
          </div>
        </form>
      ) : null}
      {saved ? (
        <p className="hint" role="status">
          {t('sourceEditor.saved')}
        </p>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}
