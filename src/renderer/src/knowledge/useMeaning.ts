import { useEffect, useRef, useState } from 'react';
import { call, useHubEvent } from '../hub';

type Meaning = { embedded: number; total: number } | null;

/** While the search index embeds passages, asked again at most this often (the count reads every chunk of the base). */
const EVERY_MS = 2000;

/** How much of a base is searchable by meaning, followed while the search index embeds it. */
export function useMeaning(name: string, revision: number): Meaning {
  const [meaning, setMeaning] = useState<Meaning>(null);
  const asking = useRef({ running: false, timer: 0, live: true });

  const ask = useRef(() => {});
  ask.current = () => {
    const state = asking.current;
    if (state.running) return;
    state.running = true;
    call('kb.meaning', { name })
      .then((answer) => state.live && setMeaning(answer))
      .catch(() => undefined)
      .finally(() => {
        state.running = false;
      });
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new revision asks again
  useEffect(() => {
    const state = asking.current;
    state.live = true;
    ask.current();
    return () => {
      state.live = false;
      window.clearTimeout(state.timer);
      state.timer = 0;
    };
  }, [name, revision]);

  useHubEvent('index.progress', () => {
    const state = asking.current;
    if (state.timer) return;
    state.timer = window.setTimeout(() => {
      state.timer = 0;
      ask.current();
    }, EVERY_MS);
  });

  return meaning;
}
