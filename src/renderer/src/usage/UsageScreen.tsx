import './usage.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { UsageSummary } from '../../../shared/desktop';
import type { AppError } from '../../../shared/errors';
import { useProfiles } from '../hooks';
import { call, toAppError, useHubEvent } from '../hub';
import { ErrorNote } from '../settings/errors';
import { UsageChart } from './UsageChart';
import { chartSeries, compactNumber, daysBetween, lastDays, type Metric, totalsOf } from './usage-data';

const ranges = [7, 30, 90] as const;
const metrics: { id: Metric; label: string; unit: string }[] = [
  { id: 'tokens', label: 'Tokens (in + out)', unit: 'tokens' },
  { id: 'audio', label: 'Audio minutes', unit: 'min' },
  { id: 'video', label: 'Video seconds', unit: 's' },
];

const whole = (value: number) => Math.round(value).toLocaleString('en-US');
const minutes = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 1 });

/** Tokens per model per day, audio minutes, video seconds, summed from what this computer stored. */
export function UsageScreen() {
  const profiles = useProfiles();
  const [range, setRange] = useState(() => lastDays(30));
  const [profileId, setProfileId] = useState('');
  const [metric, setMetric] = useState<Metric>('tokens');
  const [summary, setSummary] = useState<UsageSummary | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(true);
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    // `refresh` changes when new usage arrives; reading it here makes the effect run again.
    void refresh;
    call('usage.summary', { ...range, ...(profileId ? { profileId } : {}) })
      .then((value) => {
        if (!live) return;
        setSummary(value);
        setError(null);
      })
      .catch((cause: unknown) => live && setError(toAppError(cause)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [range, profileId, refresh]);

  const reload = useCallback(() => setRefresh((value) => value + 1), []);
  useHubEvent('chat.end', reload);
  useHubEvent('data.reopen', reload);

  const days = useMemo(() => daysBetween(range.from, range.to), [range]);
  const totals = summary ? totalsOf(summary) : null;
  const chosen = metrics.find((item) => item.id === metric) ?? metrics[0];
  const series = summary ? chartSeries(summary, metric, days) : [];

  return (
    <section className="screen usage-screen" aria-labelledby="usage-title">
      <header className="screen-header">
        <h1 id="usage-title">Usage</h1>
        <p className="muted">
          Summed from the replies, transcripts and videos stored on this computer. Days are in local time.
        </p>
      </header>

      <div className="card usage-filters">
        <label className="field">
          <span className="label">Profile</span>
          <select value={profileId} onChange={(event) => setProfileId(event.target.value)}>
            <option value="">All profiles</option>
            {(profiles.value?.profiles ?? []).map((profile) => (
              <option key={profile.id} value={profile.id}>
                {profile.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="label">From</span>
          <input
            type="date"
            value={range.from}
            max={range.to}
            onChange={(event) => event.target.value && setRange({ ...range, from: event.target.value })}
          />
        </label>
        <label className="field">
          <span className="label">To</span>
          <input
            type="date"
            value={range.to}
            min={range.from}
            onChange={(event) => event.target.value && setRange({ ...range, to: event.target.value })}
          />
        </label>
        <fieldset className="usage-quick">
          <legend className="label">Last</legend>
          {ranges.map((count) => {
            const quick = lastDays(count);
            const active = quick.from === range.from && quick.to === range.to;
            return (
              <button
                key={count}
                type="button"
                className={active ? 'button button-primary' : 'button'}
                aria-pressed={active}
                onClick={() => setRange(quick)}
              >
                {count} days
              </button>
            );
          })}
        </fieldset>
      </div>

      {error ? (
        <div className="card">
          <ErrorNote error={error} />
        </div>
      ) : null}

      {summary && profileId && summary.unattributed > 0 ? (
        <p className="notice notice-info">
          {summary.unattributed} item{summary.unattributed === 1 ? '' : 's'} in this range were made before
          HubDesk recorded profiles; they count under “All profiles” only.
        </p>
      ) : null}

      {totals ? (
        <dl className="usage-tiles" aria-busy={loading}>
          <Tile label="Tokens in" value={whole(totals.inputTokens)} />
          <Tile label="Tokens out" value={whole(totals.outputTokens)} />
          <Tile label="Cached tokens" value={whole(totals.cachedTokens)} />
          <Tile label="Reasoning tokens" value={whole(totals.reasoningTokens)} />
          <Tile label="Audio minutes" value={minutes(totals.audioMinutes)} />
          <Tile label="Video seconds" value={whole(totals.videoSeconds)} />
        </dl>
      ) : loading ? (
        <p className="muted">Adding up…</p>
      ) : null}

      {summary ? (
        <>
          <div className="card">
            <div className="usage-chart-header">
              <h2>Per day</h2>
              <fieldset className="usage-metrics" aria-label="Chart shows">
                {metrics.map((item) => (
                  <button
                    key={item.id}
                    type="button"
                    className={item.id === metric ? 'button button-primary' : 'button'}
                    aria-pressed={item.id === metric}
                    onClick={() => setMetric(item.id)}
                  >
                    {item.label}
                  </button>
                ))}
              </fieldset>
            </div>
            <UsageChart days={days} series={series} unit={chosen?.unit ?? ''} label={chosen?.label ?? ''} />
          </div>

          <div className="card">
            <h2>Tokens by model</h2>
            {summary.tokens.length === 0 ? (
              <p className="muted">No replies with token counts in this range.</p>
            ) : (
              <table className="usage-table">
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Model</th>
                    <th scope="col">Replies</th>
                    <th scope="col">In</th>
                    <th scope="col">Out</th>
                    <th scope="col">Cached</th>
                    <th scope="col">Reasoning</th>
                  </tr>
                </thead>
                <tbody>
                  {[...summary.tokens].reverse().map((row) => (
                    <tr key={`${row.day} ${row.model}`}>
                      <td>{row.day}</td>
                      <td>
                        <code>{row.model}</code>
                      </td>
                      <td>{whole(row.messages)}</td>
                      <td>{whole(row.inputTokens)}</td>
                      <td>{whole(row.outputTokens)}</td>
                      <td>{whole(row.cachedTokens)}</td>
                      <td>{whole(row.reasoningTokens)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>

          <div className="usage-pair">
            <div className="card">
              <h2>Audio transcribed</h2>
              {summary.audio.length === 0 ? (
                <p className="muted">No transcripts in this range.</p>
              ) : (
                <table className="usage-table">
                  <thead>
                    <tr>
                      <th scope="col">Day</th>
                      <th scope="col">Model</th>
                      <th scope="col">Files</th>
                      <th scope="col">Minutes</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...summary.audio].reverse().map((row) => (
                      <tr key={`${row.day} ${row.model}`}>
                        <td>{row.day}</td>
                        <td>
                          <code>{row.model}</code>
                        </td>
                        <td>{row.transcripts}</td>
                        <td>{minutes(row.minutes)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
            <div className="card">
              <h2>Video generated</h2>
              {summary.video.length === 0 ? (
                <p className="muted">No finished videos in this range.</p>
              ) : (
                <table className="usage-table">
                  <thead>
                    <tr>
                      <th scope="col">Day</th>
                      <th scope="col">Vendor</th>
                      <th scope="col">Videos</th>
                      <th scope="col">Seconds</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...summary.video].reverse().map((row) => (
                      <tr key={`${row.day} ${row.vendor}`}>
                        <td>{row.day}</td>
                        <td>{row.vendor}</td>
                        <td>{row.videos}</td>
                        <td>{compactNumber(row.seconds)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}

function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div className="usage-tile">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
