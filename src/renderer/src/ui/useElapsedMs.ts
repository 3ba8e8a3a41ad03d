import { useEffect, useState } from 'react';

/** How often a running counter looks at the clock again. */
const TICK_MS = 500;

/**
 * The milliseconds since the component mounted, kept current while `running`. Reads the page's clock (`Date.now`),
 * which the browser tests set.
 */
export function useElapsedMs(running: boolean): number {
  const [since] = useState(() => Date.now());
  const [now, setNow] = useState(since);
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [running]);
  return Math.max(0, now - since);
}
