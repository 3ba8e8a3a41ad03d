import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../../shared/contract';
import type { AppError } from '../../../shared/errors';
import type { SyncMediaMode, SyncStatus } from '../../../shared/sync';
import type { SyncTarget } from '../../../shared/sync-target';
import { call, toAppError } from '../hub';
import { FieldError } from '../ui/errors';
import { SyncMediaChoice } from './SyncMediaChoice';
import { ConnectionReportNote, SyncErrorNote } from './SyncReportNotes';

type Kind = SyncTarget['kind'];
type ProblemKey =
  | 'setup.problem.required'
  | 'setup.problem.url'
  | 'setup.problem.bucket'
  | 'setup.problem.passphraseShort'
  | 'setup.problem.passphraseDiffers';
type Shown = { field: keyof Fields; problem: ProblemKey };
type ConnectionReport = ResponseOf<'sync.test'>;

interface Fields {
  url: string;
  user: string;
  endpoint: string;
  bucket: string;
  region: string;
  prefix: string;
  accessKeyId: string;
  pathStyle: boolean;
  path: string;
  secret: string;
  passphrase: string;
  repeat: string;
}

const blank: Fields = {
  url: '',
  user: '',
  endpoint: '',
  bucket: '',
  region: '',
  prefix: '',
  accessKeyId: '',
  pathStyle: true,
  path: '',
  secret: '',
  passphrase: '',
  repeat: '',
};

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The target the fields describe, or the first field that is missing or wrong (its key and the reason's key). */
function targetOf(kind: Kind, fields: Fields): { target: SyncTarget } | Shown {
  if (kind === 'webdav') {
    if (!isUrl(fields.url.trim())) return { field: 'url', problem: 'setup.problem.url' };
    if (!fields.user.trim()) return { field: 'user', problem: 'setup.problem.required' };
    return { target: { kind, url: fields.url.trim(), user: fields.user.trim() } };
  }
  if (kind === 's3') {
    if (!isUrl(fields.endpoint.trim())) return { field: 'endpoint', problem: 'setup.problem.url' };
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(fields.bucket.trim()))
      return { field: 'bucket', problem: 'setup.problem.bucket' };
    if (!fields.accessKeyId.trim()) return { field: 'accessKeyId', problem: 'setup.problem.required' };
    return {
      target: {
        kind,
        endpoint: fields.endpoint.trim(),
        bucket: fields.bucket.trim(),
        accessKeyId: fields.accessKeyId.trim(),
        forcePathStyle: fields.pathStyle,
        ...(fields.region.trim() ? { region: fields.region.trim() } : {}),
        ...(fields.prefix.trim() ? { prefix: fields.prefix.trim() } : {}),
      },
    };
  }
  if (!fields.path.trim()) return { field: 'path', problem: 'setup.problem.required' };
  return { target: { kind, path: fields.path.trim() } };
}

/** Settings → Sync before it is on: where the library goes, its secret, and the passphrase that encrypts it. */
export function SyncSetupForm({ onStatus }: { onStatus: (status: SyncStatus) => void }) {
  const { t } = useTranslation('sync');
  const [kind, setKind] = useState<Kind>('webdav');
  const [fields, setFields] = useState<Fields>(blank);
  const [media, setMedia] = useState<SyncMediaMode>('eager');
  const [shown, setShown] = useState<Shown | null>(null);
  const [busy, setBusy] = useState<'test' | 'setup' | null>(null);
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const id = useId();
  const fieldId = (name: keyof Fields) => `${id}-${name}`;

  const set = (name: keyof Fields, value: string | boolean) => {
    setFields((current) => ({ ...current, [name]: value }));
    setReport(null);
    if (shown?.field === name) setShown(null);
  };

  const problemOf = (name: keyof Fields) => (shown?.field === name ? t(shown.problem) : null);

  const input = (
    name: Exclude<keyof Fields, 'pathStyle'>,
    options: { type?: string; optional?: boolean; autoComplete?: string; hint?: string } = {},
  ) => {
    const message = problemOf(name);
    return (
      <div className="field" key={name}>
        <label htmlFor={fieldId(name)} className="label">
          {t(`setup.fields.${name}`)}
          {options.optional ? <span className="muted"> {t('setup.optional')}</span> : null}
        </label>
        <input
          id={fieldId(name)}
          type={options.type ?? 'text'}
          value={fields[name]}
          onChange={(event) => set(name, event.target.value)}
          spellCheck={false}
          autoComplete={options.autoComplete ?? 'off'}
          aria-invalid={message !== null || undefined}
          aria-describedby={
            message ? `${fieldId(name)}-error` : options.hint ? `${fieldId(name)}-hint` : undefined
          }
        />
        <FieldError id={`${fieldId(name)}-error`} message={message} />
        {options.hint && !message ? (
          <p id={`${fieldId(name)}-hint`} className="hint">
            {options.hint}
          </p>
        ) : null}
      </div>
    );
  };

  const checked = (withPassphrase: boolean): SyncTarget | null => {
    const result = targetOf(kind, fields);
    if ('field' in result) {
      setShown(result);
      document.getElementById(fieldId(result.field))?.focus();
      return null;
    }
    if (kind !== 'folder' && !fields.secret) {
      setShown({ field: 'secret', problem: 'setup.problem.required' });
      document.getElementById(fieldId('secret'))?.focus();
      return null;
    }
    if (withPassphrase) {
      const problem: Shown | null =
        fields.passphrase.length < 8
          ? { field: 'passphrase' as const, problem: 'setup.problem.passphraseShort' }
          : fields.passphrase !== fields.repeat
            ? { field: 'repeat' as const, problem: 'setup.problem.passphraseDiffers' }
            : null;
      if (problem) {
        setShown(problem);
        document.getElementById(fieldId(problem.field))?.focus();
        return null;
      }
    }
    return result.target;
  };

  const test = async () => {
    const target = checked(false);
    if (!target) return;
    setBusy('test');
    setError(null);
    try {
      setReport(await call('sync.test', { target, secret: fields.secret }));
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(null);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const target = checked(true);
    if (!target) return;
    setBusy('setup');
    setError(null);
    try {
      onStatus(
        await call('sync.setup', { target, secret: fields.secret, passphrase: fields.passphrase, media }),
      );
      setFields(blank);
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(null);
    }
  };

  const chooseFolder = async () => {
    try {
      const { paths } = await call('dialog.openPaths', { kind: 'folders' });
      if (paths[0]) set('path', paths[0]);
    } catch (cause) {
      setError(toAppError(cause));
    }
  };

  return (
    <form className="stack sync-setup" onSubmit={(event) => void submit(event)} noValidate>
      <fieldset className="sync-kinds">
        <legend className="label">{t('setup.where')}</legend>
        {(['webdav', 's3', 'folder'] as const).map((option) => (
          <label key={option} className="sync-choice">
            <input
              type="radio"
              name={`${id}-kind`}
              value={option}
              checked={kind === option}
              onChange={() => {
                setKind(option);
                setShown(null);
                setReport(null);
              }}
            />
            <span>
              {t(`setup.kinds.${option}`)}
              <span className="muted"> — {t(`setup.kindHints.${option}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>

      <div className="sync-fields">
        {kind === 'webdav' ? (
          <>
            {input('url', { type: 'url', hint: t('setup.hints.url') })}
            {input('user', { autoComplete: 'username' })}
            {input('secret', { type: 'password', autoComplete: 'current-password' })}
          </>
        ) : null}
        {kind === 's3' ? (
          <>
            {input('endpoint', { type: 'url', hint: t('setup.hints.endpoint') })}
            {input('bucket')}
            {input('region', { optional: true })}
            {input('prefix', { optional: true, hint: t('setup.hints.prefix') })}
            {input('accessKeyId')}
            {input('secret', { type: 'password', autoComplete: 'off' })}
            <label className="settings-toggle">
              <input
                type="checkbox"
                checked={fields.pathStyle}
                onChange={(event) => set('pathStyle', event.target.checked)}
              />
              <span>{t('setup.fields.pathStyle')}</span>
            </label>
          </>
        ) : null}
        {kind === 'folder' ? (
          <div className="sync-folder-row">
            {input('path', { hint: t('setup.hints.path') })}
            <button type="button" className="button" onClick={() => void chooseFolder()}>
              {t('setup.choose')}
            </button>
          </div>
        ) : null}
      </div>

      <SyncMediaChoice value={media} onChoose={setMedia} />

      <div className="sync-passphrase">
        {input('passphrase', { type: 'password', autoComplete: 'new-password' })}
        {input('repeat', { type: 'password', autoComplete: 'new-password' })}
        <p className="hint">{t('setup.passphraseHint')}</p>
      </div>

      {report ? <ConnectionReportNote report={report} /> : null}
      {error ? <SyncErrorNote error={error} /> : null}

      <div className="button-row">
        <button type="button" className="button" disabled={busy !== null} onClick={() => void test()}>
          {busy === 'test' ? <span className="spinner" aria-hidden="true" /> : null}
          {t('setup.test')}
        </button>
        <button type="submit" className="button button-primary" disabled={busy !== null}>
          {busy === 'setup' ? <span className="spinner" aria-hidden="true" /> : null}
          {t('setup.turnOn')}
        </button>
      </div>
    </form>
  );
}
