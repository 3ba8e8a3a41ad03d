import { useEffect, useRef } from 'react';
import { useCommand } from '../commands';

/**
 * The composer's input and the focus asked for before it was there (a page just shown, a conversation just
 * created): given once it is. Answers the focus-composer command.
 */
export function useComposerFocus(shownId: string | undefined) {
  const input = useRef<HTMLTextAreaElement>(null);
  /** The conversation whose composer should take the focus once shown ('any': the next one shown). */
  const wanted = useRef<string | null>(null);

  useCommand('focus-composer', () => {
    if (input.current) input.current.focus();
    else wanted.current = 'any';
  });
  useEffect(() => {
    const id = wanted.current;
    if (!id || !input.current || (id !== 'any' && id !== shownId)) return;
    wanted.current = null;
    input.current.focus();
  }, [shownId]);

  return {
    input,
    focus: () => input.current?.focus(),
    focusWhenShown: (conversationId: string) => {
      wanted.current = conversationId;
    },
  };
}
