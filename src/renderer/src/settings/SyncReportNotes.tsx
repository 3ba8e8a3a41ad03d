import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../../shared/contract';
import type { AppError } from '../../../shared/errors';
import { type LastSync, remoteProblems, type SyncProblem, type SyncStatus } from '../../../shared/sync';
import { messageFor } from '../hub';
import { ErrorNote } from '../ui/errors';
import { formatBytes, fullDate, numberFormat } from '../ui/format';

type ConnectionReport = ResponseOf<'sync.test'>;

const count = (value: number) => numberFormat('count').format(value);

/** What a connection test found, in words: it works (and how fast), or what is wrong and what to do. */
export function ConnectionReportNote({ report }: { report: ConnectionReport }) {
  const { t } = useTranslation('sync');
  if (report.ok) {
    return (
      <p className="sync-test-ok" role="status">
        <span className="status-dot is-good" aria-hidden="true" />
        {t('test.ok', { ms: count(Math.round(report.latencyMs)) })}
      </p>
    );
  }
  const minutes = report.skewMs === undefined ? 0 : Math.round(Math.abs(report.skewMs) / 60_000);
  return (
    <div className="error-note" role="alert">
      <p className="error-message">{t(`test.problem.${report.problem}`, { minutes: count(minutes) })}</p>
      <p className="error-advice">{t(`test.advice.${report.problem}`)}</p>
      {report.detail ? (
        <p className="error-details">
          {report.status !== undefined ? `HTTP ${report.status} · ` : ''}
          {report.detail}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A sync error, announced: its reason in words with sync's own advice (the general advice of a refused sign-in
 * speaks of the API token, which sync never uses).
 */
export function SyncErrorNote({ error }: { error: AppError }) {
  const { t } = useTranslation('sync');
  const problem = remoteProblems.find((known) => known === error.reason?.values.problem);
  const advice =
    error.reason?.code === 'syncWrongPassphrase'
      ? t('errorAdvice.wrongPassphrase')
      : error.reason?.code === 'syncStorage' && problem
        ? t(`test.advice.${problem}`)
        : null;
  return (
    <div role="alert">
      {advice === null ? (
        <ErrorNote error={error} advice={error.kind !== 'auth'} />
      ) : (
        <div className="error-note">
          <p className="error-message">{messageFor(error)}</p>
          <p className="error-advice">{advice}</p>
        </div>
      )}
    </div>
  );
}

/** Where the library is kept, in the window's words: the kind of storage, then its address. */
export function StorageNote({ target }: { target: NonNullable<SyncStatus['target']> }) {
  const { t } = useTranslation('sync');
  const where =
    target.kind === 'folder'
      ? target.path
      : target.kind === 'webdav'
        ? target.url
        : `${target.endpoint} · ${target.bucket}${target.prefix ? `/${target.prefix}` : ''}`;
  return (
    <span className="sync-storage">
      <span>{t(`setup.kinds.${target.kind}`)}</span> <code>{where}</code>
      {target.kind === 'webdav' ? (
        <span className="muted"> {t('facts.user', { user: target.user })}</span>
      ) : null}
    </span>
  );
}

function ProblemLine({ problem }: { problem: SyncProblem }) {
  const { t } = useTranslation('sync');
  return (
    <li>{t(`problems.${problem.code}`, { device: problem.device.slice(0, 8), seq: count(problem.seq) })}</li>
  );
}

/** The last sync: when, what went each way, and anything on the storage that was not applied. */
export function LastSyncNote({ last }: { last: LastSync }) {
  const { t } = useTranslation('sync');
  const { report } = last;
  return (
    <div className="sync-last">
      <p>
        {t(last.error ? 'last.failedAt' : 'last.at', { when: fullDate(last.at) })}
        {report ? (
          <span className="muted">
            {' '}
            {t('last.summary', {
              up: count(report.uploaded),
              down: count(report.downloaded),
              rows: count(report.rows),
              bytesUp: formatBytes(report.bytesUp),
              bytesDown: formatBytes(report.bytesDown),
            })}
            {report.conflicts > 0 ? ` ${t('last.conflicts', { count: report.conflicts })}` : ''}
          </span>
        ) : null}
      </p>
      {last.error ? <SyncErrorNote error={last.error} /> : null}
      {report && report.problems.length > 0 ? (
        <div className="error-note" role="alert">
          <p className="error-message">{t('problems.title', { count: report.problems.length })}</p>
          <ul>
            {report.problems.map((problem) => (
              <ProblemLine
                key={`${problem.device}-${problem.seq}-${problem.code}-${problem.message}`}
                problem={problem}
              />
            ))}
          </ul>
          <p className="error-advice">{t('problems.advice')}</p>
        </div>
      ) : null}
    </div>
  );
}

/** Offline, when the background sync tries the storage again, counting down (outside the live region: no chatter). */
export function OfflineRetryNote({ nextAt }: { nextAt: number | null }) {
  const { t } = useTranslation('sync');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (nextAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [nextAt]);
  if (nextAt === null) return <p className="muted sync-offline">{t('offline.waits')}</p>;
  const seconds = Math.ceil((nextAt - now) / 1000);
  const words =
    seconds <= 0
      ? t('offline.now')
      : seconds < 60
        ? t('offline.inSeconds', { seconds: count(seconds) })
        : t('offline.inMinutes', { minutes: count(Math.ceil(seconds / 60)) });
  return <p className="muted sync-offline">{words}</p>;
}
