import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { McpServerView } from '../../../shared/tools-channels';
import { call, messageFor, toAppError } from '../hub';
import { ErrorNote, FieldError, inputIssueText } from '../ui/errors';
import { StoredSecrets } from './StoredSecrets';
import {
  draftFieldOf,
  draftOf,
  emptyDraft,
  type ServerDraft,
  type TransportKind,
  transportOf,
} from './tool-server-input';

type Field = 'name' | 'command' | 'args' | 'env' | 'cwd' | 'url' | 'headers';

type Props =
  | { mode: 'add'; onAdded: (server: McpServerView) => void }
  | {
      mode: 'edit';
      server: McpServerView;
      /** Saved: main answered with the server as it is now (renamed, restarted). */
      onSaved: (server: McpServerView, previousName: string) => void;
      onCancel: () => void;
    };

/**
 * Adds one server (a command to run, stdio, or a URL, Streamable HTTP) or edits one, rename included; stored header
 * and environment values show as set, to keep, replace or remove. Errors from main appear under their field.
 */
export function ServerForm(props: Props) {
  const { t } = useTranslation('settings');
  const editing = props.mode === 'edit' ? props.server : null;
  const [name, setName] = useState(editing?.name ?? '');
  const [draft, setDraft] = useState<ServerDraft>(() => (editing ? draftOf(editing) : emptyDraft));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const baseId = useId();
  const form = useRef<HTMLFormElement>(null);
  // An edit form opens where the Edit button was: its first field takes the focus.
  const isEdit = props.mode === 'edit';
  useEffect(() => {
    if (isEdit) form.current?.querySelector<HTMLInputElement>('input[type="text"]')?.focus();
  }, [isEdit]);
  const id = (field: Field | 'kind') => `${baseId}-${field}`;

  const errorField = error?.kind === 'invalid_input' ? draftFieldOf(error.field) : null;
  const labels: Record<Field, string> = {
    name: t('tools.add.name'),
    command: t('tools.add.command'),
    args: t('tools.add.args'),
    env: t('tools.add.env'),
    cwd: t('tools.add.cwd'),
    url: t('tools.add.url'),
    headers: t('tools.add.headers'),
  };
  /** Main's refusal worded with the label the user sees, from its code, else with its request path replaced. */
  const refusalFor = (field: Field): string | null => {
    if (!error || errorField !== field) return null;
    if (error.input) return inputIssueText(error.input, labels[field]);
    if (error.reason) return messageFor(error);
    const path = error.field ?? '';
    return error.message.startsWith(`${path} `)
      ? `${labels[field]} ${error.message.slice(path.length + 1)}`
      : error.message;
  };

  const edit = (patch: Partial<ServerDraft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setAdded(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setAdded(null);
    const read = transportOf(draft);
    if (!read.ok) {
      const { field, line } = read.problem;
      setError({
        kind: 'invalid_input',
        field,
        message: t(field === 'env' ? 'tools.add.envLineError' : 'tools.add.headerLineError', { line }),
      });
      return;
    }
    setBusy(true);
    try {
      if (props.mode === 'edit') {
        const newName = name.trim();
        const server = await call('tools.updateServer', {
          name: props.server.name,
          ...(newName !== props.server.name ? { newName } : {}),
          transport: read.transport,
        });
        props.onSaved(server, props.server.name);
        return;
      }
      const server = await call('tools.addServer', { name: name.trim(), transport: read.transport });
      props.onAdded(server);
      setAdded(server.name);
      setName('');
      setDraft({ ...emptyDraft, kind: draft.kind });
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  };

  const input = (field: Field, options: { multiline?: boolean; hint?: string; placeholder?: string }) => {
    const message = refusalFor(field);
    const value = field === 'name' ? name : draft[field];
    const change = (text: string) => {
      // The message was about what the user is now changing.
      if (message) setError(null);
      if (field === 'name') setName(text);
      else edit({ [field]: text });
    };
    const describedBy = message ? `${id(field)}-error` : options.hint ? `${id(field)}-hint` : undefined;
    const stored = field === 'env' ? draft.storedEnv : field === 'headers' ? draft.storedHeaders : null;
    const common = {
      id: id(field),
      value,
      spellCheck: false,
      autoComplete: 'off',
      placeholder: options.placeholder,
      'aria-invalid': message ? true : undefined,
      'aria-describedby': describedBy,
    };
    return (
      <div className="field">
        {stored && stored.length > 0 ? (
          <>
            <p className="label">{labels[field]}</p>
            <StoredSecrets
              label={labels[field]}
              secrets={stored}
              describedBy={describedBy}
              onChange={(secrets) =>
                edit(field === 'env' ? { storedEnv: secrets } : { storedHeaders: secrets })
              }
            />
          </>
        ) : null}
        <label
          htmlFor={id(field)}
          className={stored && stored.length > 0 ? 'label label-secondary' : 'label'}
        >
          {stored && stored.length > 0
            ? t(field === 'env' ? 'tools.edit.moreEnv' : 'tools.edit.moreHeaders')
            : labels[field]}
        </label>
        {options.multiline ? (
          <textarea {...common} rows={3} onChange={(event) => change(event.target.value)} />
        ) : (
          <input {...common} type="text" onChange={(event) => change(event.target.value)} />
        )}
        <FieldError id={`${id(field)}-error`} message={message} />
        {!message && options.hint ? (
          <p id={`${id(field)}-hint`} className="hint">
            {options.hint}
          </p>
        ) : null}
      </div>
    );
  };

  const kinds: TransportKind[] = ['stdio', 'http'];
  const shownFields: Field[] =
    draft.kind === 'stdio' ? ['name', 'command', 'args', 'env', 'cwd'] : ['name', 'url', 'headers'];
  const unplaced = error && !shownFields.includes(errorField as Field);

  return (
    <form
      ref={form}
      className={`stack ${editing ? 'tool-edit-form' : 'tool-add-form'}`}
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (props.mode === 'edit' && event.key === 'Escape') {
          event.preventDefault();
          props.onCancel();
        }
      }}
      aria-label={editing ? t('tools.edit.title', { name: editing.name }) : undefined}
      noValidate
    >
      <h3>{editing ? t('tools.edit.title', { name: editing.name }) : t('tools.add.title')}</h3>
      <fieldset className="tool-kind">
        <legend className="label">{t('tools.add.kind')}</legend>
        {kinds.map((kind) => (
          <label key={kind} className="settings-toggle">
            <input
              type="radio"
              name={id('kind')}
              value={kind}
              checked={draft.kind === kind}
              onChange={() => edit({ kind })}
            />
            {t(`tools.add.kinds.${kind}`)}
          </label>
        ))}
      </fieldset>
      {input('name', {
        hint: editing ? t('tools.edit.nameHint') : t('tools.add.nameHint'),
        placeholder: 'filesystem',
      })}
      {draft.kind === 'stdio' ? (
        <>
          {input('command', { hint: t('tools.add.commandHint'), placeholder: 'npx' })}
          {input('args', { multiline: true, hint: t('tools.add.argsHint') })}
          {input('env', { multiline: true, hint: t('tools.add.envHint'), placeholder: 'API_KEY=…' })}
          {input('cwd', { hint: t('tools.add.cwdHint') })}
        </>
      ) : (
        <>
          {input('url', { placeholder: 'https://example.com/mcp' })}
          {input('headers', {
            multiline: true,
            hint: t('tools.add.headersHint'),
            placeholder: 'Authorization: Bearer …',
          })}
        </>
      )}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
          {busy ? <span className="spinner" aria-hidden="true" /> : null}
          {editing
            ? busy
              ? t('tools.edit.saving')
              : t('tools.edit.save')
            : busy
              ? t('tools.add.adding')
              : t('tools.add.submit')}
        </button>
        {props.mode === 'edit' ? (
          <button type="button" className="button" onClick={props.onCancel} disabled={busy}>
            {t('tools.cancel')}
          </button>
        ) : null}
        <span className="saved-note" aria-live="polite">
          {added ? t('tools.add.added', { name: added }) : ''}
        </span>
      </div>
      {unplaced ? <ErrorNote error={error} /> : null}
    </form>
  );
}
