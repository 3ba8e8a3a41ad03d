import { type FormEvent, type KeyboardEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PathsDialogKind } from '../../../shared/desktop';
import type { AppError } from '../../../shared/errors';
import type { KbBaseSummary } from '../../../shared/knowledge';
import { call, toAppError, useHubEvent } from '../hub';
import { ErrorNote, FieldError } from '../ui/errors';
import { Modal } from '../ui/Modal';

type Chosen = { path: string; kind: 'folder' | 'file' };

/** The OS's open dialog is there in the app; the browser harness has none (then only the path field is shown). */
function useOpenDialog(open: boolean): boolean {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    if (!open) return;
    let live = true;
    call('dialog.available', {})
      .then((answer) => live && setAvailable(answer.openPaths))
      .catch(() => live && setAvailable(false));
    return () => {
      live = false;
    };
  }, [open]);
  return available;
}

/**
 * "New knowledge base": a name and the folders or files it reads, picked with the OS's dialog or typed. It closes
 * as soon as main has created the base (its first sync then shows on the page), or when a small one is indexed.
 */
export function CreateBaseDialog({
  open,
  existing,
  onClose,
  onStarted,
}: {
  open: boolean;
  existing: readonly KbBaseSummary[];
  onClose: () => void;
  onStarted: (name: string) => void;
}) {
  const { t } = useTranslation('knowledge');
  const ids = useId();
  const dialogAvailable = useOpenDialog(open);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [typed, setTyped] = useState('');
  const [nameProblem, setNameProblem] = useState<string | null>(null);
  const [pathProblem, setPathProblem] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setName('');
    setChosen([]);
    setTyped('');
    setNameProblem(null);
    setPathProblem(null);
    setError(null);
    setBusy(false);
    setPending(null);
  }, [open]);

  // The first step of the new base's sync means main has created it: the page takes over from here.
  useHubEvent('kb.progress', (step) => {
    if (pending !== null && step.name.toLowerCase() === pending.toLowerCase()) {
      setPending(null);
      onStarted(step.name);
    }
  });

  const add = (entries: Chosen[]) =>
    setChosen((previous) => [
      ...previous,
      ...entries.filter((entry) => !previous.some((old) => old.path === entry.path)),
    ]);

  const pick = async (kind: PathsDialogKind) => {
    setError(null);
    try {
      const { paths } = await call('dialog.openPaths', { kind });
      add(paths.map((path) => ({ path, kind: kind === 'folders' ? 'folder' : 'file' })));
      if (paths.length > 0) setPathProblem(null);
    } catch (cause) {
      setError(toAppError(cause));
    }
  };

  /** The typed path checked: its entry, null when the field is empty, false when it cannot join (the field says why). */
  const checkTyped = async (): Promise<Chosen | null | false> => {
    const text = typed.trim();
    if (!text) return null;
    try {
      const answer = await call('kb.checkPath', { path: text });
      if (answer.kind === 'folder' || answer.kind === 'file') {
        setPathProblem(null);
        return { path: answer.path, kind: answer.kind };
      }
      setPathProblem(
        answer.kind === 'missing'
          ? t('create.pathMissing', { path: answer.path })
          : t('create.pathUnsupported', { path: answer.path }),
      );
    } catch (cause) {
      setError(toAppError(cause));
    }
    return false;
  };

  const addTyped = async () => {
    const entry = await checkTyped();
    if (!entry) return;
    add([entry]);
    setTyped('');
  };

  const onPathKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    void addTyped();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const trimmed = name.trim();
    const taken = existing.some((base) => base.name.toLowerCase() === trimmed.toLowerCase());
    const nameIssue = !trimmed
      ? t('create.nameMissing')
      : taken
        ? t('create.nameTaken', { name: trimmed })
        : null;
    setNameProblem(nameIssue);
    setBusy(true);
    const entry = await checkTyped();
    if (entry) {
      add([entry]);
      setTyped('');
    }
    const paths = [...new Set([...chosen.map((old) => old.path), ...(entry ? [entry.path] : [])])];
    if (entry !== false && paths.length === 0) setPathProblem(t('create.pathsMissing'));
    if (nameIssue || entry === false || paths.length === 0) {
      setBusy(false);
      return;
    }
    setPending(trimmed);
    try {
      await call('kb.add', { name: trimmed, paths });
      setPending(null);
      onStarted(trimmed);
    } catch (cause) {
      setPending(null);
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} labelledBy={`${ids}-title`} className="kb-create" onClose={onClose}>
      <form className="stack" onSubmit={(event) => void submit(event)} noValidate>
        <div>
          <h2 id={`${ids}-title`}>{t('create.title')}</h2>
          <p className="muted">{t('create.intro')}</p>
        </div>
        <div className="field">
          <label className="label" htmlFor={`${ids}-name`}>
            {t('create.name')}
          </label>
          <input
            id={`${ids}-name`}
            value={name}
            maxLength={100}
            placeholder={t('create.namePlaceholder')}
            aria-invalid={nameProblem !== null}
            aria-describedby={nameProblem ? `${ids}-name-error` : undefined}
            onChange={(event) => {
              setName(event.target.value);
              setNameProblem(null);
            }}
            // biome-ignore lint/a11y/noAutofocus: the dialog opened because the user asked for a new base
            autoFocus
          />
          <FieldError id={`${ids}-name-error`} message={nameProblem} />
        </div>
        <fieldset className="field kb-paths">
          <legend className="label">{t('create.paths')}</legend>
          {chosen.length > 0 ? (
            <ul className="kb-chosen">
              {chosen.map((entry) => (
                <li key={entry.path}>
                  <span className="badge badge-neutral">
                    {entry.kind === 'folder' ? t('create.kindFolder') : t('create.kindFile')}
                  </span>
                  <code className="path">{entry.path}</code>
                  <button
                    type="button"
                    className="button kb-small-button"
                    aria-label={t('create.removePath', { path: entry.path })}
                    onClick={() => setChosen((previous) => previous.filter((old) => old.path !== entry.path))}
                  >
                    {t('create.removeShort')}
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="hint">{t('create.nothingChosen')}</p>
          )}
          {dialogAvailable ? (
            <div className="button-row">
              <button type="button" className="button" onClick={() => void pick('folders')}>
                {t('create.chooseFolder')}
              </button>
              <button type="button" className="button" onClick={() => void pick('files')}>
                {t('create.chooseFiles')}
              </button>
            </div>
          ) : null}
          <label className="hint" htmlFor={`${ids}-path`}>
            {dialogAvailable ? t('create.typeOr') : t('create.typePath')}
          </label>
          <div className="input-row">
            <input
              id={`${ids}-path`}
              value={typed}
              placeholder={t('create.pathPlaceholder')}
              spellCheck={false}
              aria-invalid={pathProblem !== null}
              aria-describedby={pathProblem ? `${ids}-path-error` : undefined}
              onChange={(event) => {
                setTyped(event.target.value);
                setPathProblem(null);
              }}
              onKeyDown={onPathKey}
            />
            <button type="button" className="button" disabled={!typed.trim()} onClick={() => void addTyped()}>
              {t('create.addPath')}
            </button>
          </div>
          <FieldError id={`${ids}-path-error`} message={pathProblem} />
        </fieldset>
        {error ? <ErrorNote error={error} /> : null}
        <div className="button-row dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('actions.cancel', { ns: 'common' })}
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t('create.creating') : t('create.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
