import { useEffect, useId, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import { toAppError, useHubEvent } from '../hub';
import { ErrorNote } from '../ui/errors';

/** Events that carry an on/off setting's new state. */
type ToggleEvent = 'spellcheck.changed' | 'titles.changed';

/** A Settings card with one switch kept in main: read once, followed by its event, written when flipped. */
export function ToggleSection(props: {
  title: string;
  label: string;
  description: string;
  read: () => Promise<{ enabled: boolean }>;
  write: (enabled: boolean) => Promise<{ enabled: boolean }>;
  event: ToggleEvent;
}) {
  const { read, write } = props;
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const ids = { title: useId(), toggle: useId(), hint: useId() };

  useEffect(() => {
    let live = true;
    read()
      .then((value) => live && setEnabled(value.enabled))
      .catch((cause: unknown) => live && setError(toAppError(cause)));
    return () => {
      live = false;
    };
  }, [read]);
  useHubEvent(props.event, (value) => setEnabled(value.enabled));

  const choose = async (next: boolean) => {
    setError(null);
    try {
      setEnabled((await write(next)).enabled);
    } catch (cause) {
      setError(toAppError(cause));
    }
  };

  return (
    <section className="card" aria-labelledby={ids.title}>
      <div className="card-header">
        <h2 id={ids.title}>{props.title}</h2>
      </div>
      <div className="settings-toggle-field">
        <label className="settings-toggle" htmlFor={ids.toggle}>
          <input
            id={ids.toggle}
            type="checkbox"
            checked={enabled ?? false}
            disabled={enabled === null}
            aria-describedby={ids.hint}
            onChange={(event) => void choose(event.target.checked)}
          />
          {props.label}
        </label>
        <p id={ids.hint} className="hint">
          {props.description}
        </p>
      </div>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}
