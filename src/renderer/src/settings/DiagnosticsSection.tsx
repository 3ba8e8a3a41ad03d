import './diagnostics.css';
import i18next from 'i18next';
import { Fragment, useId, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import {
  type DoctorCheck,
  type DoctorFact,
  type DoctorReport,
  type DoctorStatus,
  doctorNoteKey,
  doctorReportText,
} from '../../../shared/doctor';
import type { AppError } from '../../../shared/errors';
import { adviceFor, call, toAppError } from '../hub';
import { currentLanguage } from '../i18n';
import { copyText } from '../ui/download';
import { ErrorNote } from '../ui/errors';
import { formatBytes } from '../ui/format';

type RunState =
  | { kind: 'idle' }
  | { kind: 'running'; online: boolean }
  | { kind: 'done'; report: DoctorReport }
  | { kind: 'failed'; error: AppError };

type CopyState = { kind: 'idle' } | { kind: 'copied' } | { kind: 'failed'; message: string };

/** Facts that are paths or URLs: shown as code, wrapping anywhere. */
const codeFacts = new Set<DoctorFact['name']>(['path', 'ffmpegPath', 'ffprobePath', 'binding', 'endpoint']);

/** A fact's value in the UI language. */
function factValue(fact: DoctorFact): string {
  switch (fact.kind) {
    case 'text':
      return fact.value;
    case 'bytes':
      return formatBytes(fact.value);
    case 'ms':
      return i18next.t('doctor:values.ms', {
        value: Math.round(fact.value).toLocaleString(currentLanguage()),
      });
    case 'flag':
      return fact.value ? i18next.t('doctor:values.yes') : i18next.t('doctor:values.no');
    case 'source':
      return i18next.t(`doctor:values.source.${fact.value}`);
  }
}

/** ✓, ! or ✕ in a circle, coloured by status; the status itself is said in words beside it. */
function StatusGlyph({ status }: { status: DoctorStatus }) {
  return (
    <svg viewBox="0 0 20 20" className={`doctor-glyph is-${status}`} aria-hidden="true" focusable="false">
      <circle cx="10" cy="10" r="9" />
      {status === 'ok' ? <path d="M5.8 10.4l2.7 2.7 5.7-6" /> : null}
      {status === 'warn' ? (
        <>
          <path d="M10 5.2v6" />
          <path d="M10 14.6v.2" />
        </>
      ) : null}
      {status === 'fail' ? <path d="M6.8 6.8l6.4 6.4M13.2 6.8l-6.4 6.4" /> : null}
    </svg>
  );
}

function CheckItem({ check }: { check: DoctorCheck }) {
  const { t } = useTranslation('doctor');
  return (
    <li className={`doctor-check is-${check.status}`}>
      <StatusGlyph status={check.status} />
      <div className="doctor-check-body">
        <p className="doctor-check-title">
          <span className="doctor-check-name">{t(`checks.${check.id}`)}</span>
          <span className={`doctor-badge is-${check.status}`}>{t(`status.${check.status}`)}</span>
        </p>
        <p className="doctor-note">{t(doctorNoteKey(check), { replace: check.values })}</p>
        {check.error ? <p className="error-advice">{adviceFor(check.error)}</p> : null}
        {check.facts.length > 0 ? (
          <dl className="facts doctor-facts">
            {check.facts.map((fact) => (
              <Fragment key={fact.name}>
                <dt>{t(`facts.${fact.name}`)}</dt>
                <dd>
                  {codeFacts.has(fact.name) ? (
                    <code className="path">{factValue(fact)}</code>
                  ) : (
                    factValue(fact)
                  )}
                </dd>
              </Fragment>
            ))}
          </dl>
        ) : null}
      </div>
    </li>
  );
}

/**
 * Settings → Diagnostics: the checks of `hubdesk doctor` run by main, shown in the UI language, and "Copy report"
 * with the English text the CLI prints (for bug reports).
 */
export function DiagnosticsSection() {
  const { t } = useTranslation('doctor');
  const [online, setOnline] = useState(false);
  const [state, setState] = useState<RunState>({ kind: 'idle' });
  const [copy, setCopy] = useState<CopyState>({ kind: 'idle' });
  const ids = { title: useId(), online: useId(), onlineHint: useId(), copyHint: useId() };

  const run = async () => {
    setState({ kind: 'running', online });
    setCopy({ kind: 'idle' });
    try {
      setState({ kind: 'done', report: await call('doctor.run', { online }) });
    } catch (cause) {
      setState({ kind: 'failed', error: toAppError(cause) });
    }
  };

  const copyReport = async (report: DoctorReport) => {
    try {
      await copyText(doctorReportText(report));
      setCopy({ kind: 'copied' });
    } catch (cause) {
      setCopy({ kind: 'failed', message: cause instanceof Error ? cause.message : String(cause) });
    }
  };

  const running = state.kind === 'running';
  const report = state.kind === 'done' ? state.report : null;

  return (
    <section className="card doctor" aria-labelledby={ids.title} data-testid="diagnostics">
      <div className="card-header">
        <h2 id={ids.title}>{t('title')}</h2>
        <p className="muted">
          <Trans t={t} i18nKey="description" components={{ code: <code /> }} />
        </p>
      </div>
      <div className="doctor-online">
        <label className="doctor-toggle" htmlFor={ids.online}>
          <input
            id={ids.online}
            type="checkbox"
            checked={online}
            disabled={running}
            onChange={(event) => setOnline(event.target.checked)}
            aria-describedby={ids.onlineHint}
          />
          {t('online')}
        </label>
        <p id={ids.onlineHint} className="hint">
          {t('onlineHint')}
        </p>
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button button-primary"
          onClick={() => void run()}
          disabled={running}
          aria-busy={running}
          data-testid="diagnostics-run"
        >
          {running ? <span className="spinner" aria-hidden="true" /> : null}
          {running ? t('running') : report ? t('runAgain') : t('run')}
        </button>
        {report ? (
          <button
            type="button"
            className="button"
            onClick={() => void copyReport(report)}
            aria-describedby={ids.copyHint}
          >
            {t('copy')}
          </button>
        ) : null}
      </div>
      {report ? (
        <p id={ids.copyHint} className="hint">
          <Trans t={t} i18nKey="copyHint" components={{ code: <code /> }} />
        </p>
      ) : null}
      <div className="doctor-status" role="status" aria-live="polite" data-testid="diagnostics-status">
        {state.kind === 'running' ? (
          <p className="muted">{state.online ? t('runningOnline') : t('runningOffline')}</p>
        ) : null}
        {report ? (
          <p className={`doctor-summary is-${report.status}`}>
            <StatusGlyph status={report.status} />
            <span>
              {t(`summary.${report.status}`)}{' '}
              <span className="muted">
                {t('checkedAt', { time: new Date(report.checkedAt).toLocaleTimeString(currentLanguage()) })}
              </span>
            </span>
          </p>
        ) : null}
        {copy.kind === 'copied' ? <p className="saved-note">{t('copied')}</p> : null}
        {copy.kind === 'failed' ? (
          <p className="field-error">{t('copyFailed', { message: copy.message })}</p>
        ) : null}
      </div>
      {state.kind === 'failed' ? <ErrorNote error={state.error} /> : null}
      {report ? (
        <ul className="doctor-checks" aria-label={t('checksLabel')}>
          {report.checks.map((check) => (
            <CheckItem key={check.id} check={check} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
