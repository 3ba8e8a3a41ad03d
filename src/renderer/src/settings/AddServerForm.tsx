import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { McpServerView } from '../../../shared/tools-channels';
import { call, toAppError } from '../hub';
import { ErrorNote, FieldError } from '../ui/errors';
import {
  draftFieldOf,
  emptyDraft,
  type ServerDraft,
  type TransportKind,
  transportOf,
} from './tool-server-input';

type Field = 'name' | 'command' | 'args' | 'env' | 'cwd' | 'url' | 'headers';

type Props = { onAdded: (server: McpServerView) => void };

/** Adds one server: a command to run (stdio) or a URL (Streamable HTTP); errors from main appear under their field. */
export function AddServerForm({ onAdded }: Props) {
  const { t } = useTranslation('settings');
  const [name, setName] = useState('');
  const [draft, setDraft] = useState<ServerDraft>(emptyDraft);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const baseId = useId();
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
  /** Main's message with its request path (`transport.command`) replaced by the label the user sees. */
  const messageFor = (field: Field): string | null => {
    if (!error || errorField !== field) return null;
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
      const server = await call('tools.addServer', { name: name.trim(), transport: read.transport });
      onAdded(server);
      setAdded(server.name);
      setName('');
      setDraft({ ...emptyDraft, kind: draft.kind });
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  };

  const input = (field: Field, props: { multiline?: boolean; hint?: string; placeholder?: string }) => {
    const message = messageFor(field);
    const value = field === 'name' ? name : draft[field];
    const change = (text: string) => (field === 'name' ? setName(text) : edit({ [field]: text }));
    const describedBy = message ? `${id(field)}-error` : props.hint ? `${id(field)}-hint` : undefined;
    const common = {
      id: id(field),
      value,
      spellCheck: false,
      autoComplete: 'off',
      placeholder: props.placeholder,
      'aria-invalid': message ? true : undefined,
      'aria-describedby': describedBy,
    };
    return (
      <div className="field">
        <label htmlFor={id(field)} className="label">
          {labels[field]}
        </label>
        {props.multiline ? (
          <textarea {...common} rows={3} onChange={(event) => change(event.target.value)} />
        ) : (
          <input {...common} type="text" onChange={(event) => change(event.target.value)} />
        )}
        <FieldError id={`${id(field)}-error`} message={message} />
        {!message && props.hint ? (
          <p id={`${id(field)}-hint`} className="hint">
            {props.hint}
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
    <form className="stack tool-add-form" onSubmit={(event) => void submit(event)} noValidate>
      <h3>{t('tools.add.title')}</h3>
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
      {input('name', { hint: t('tools.add.nameHint'), placeholder: 'filesystem' })}
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
          {busy ? t('tools.add.adding') : t('tools.add.submit')}
        </button>
        <span className="saved-note" aria-live="polite">
          {added ? t('tools.add.added', { name: added }) : ''}
        </span>
      </div>
      {unplaced ? <ErrorNote error={error} /> : null}
    </form>
  );
}
