import i18next from 'i18next';
import { useMemo, useRef } from 'react';
import type { AppError } from '../../../shared/errors';
import { HubClientError } from '../hub';
import type { MessageActions } from './MessageItem';
import type { ThreadHandle } from './useThread';

function offlineError(): AppError {
  return { kind: 'network', message: i18next.t('chat:page.offlineNotSent') };
}

/** Edit, regenerate, branch and continue: one object for the list's whole life, so finished rows never re-render for it. */
export function useMessageActions(thread: ThreadHandle, online: boolean): MessageActions {
  const latestThread = useRef(thread);
  latestThread.current = thread;
  const onlineRef = useRef(online);
  onlineRef.current = online;
  return useMemo<MessageActions>(
    () => ({
      editAndSend: async (messageId, text) => {
        if (!onlineRef.current) throw new HubClientError(offlineError());
        await latestThread.current.send(text, {}, messageId);
      },
      regenerate: async (messageId) => {
        if (!onlineRef.current) throw new HubClientError(offlineError());
        await latestThread.current.regenerate(messageId);
      },
      selectBranch: (messageId) => latestThread.current.selectBranch(messageId),
      continueReply: async () => {
        if (!onlineRef.current) throw new HubClientError(offlineError());
        await latestThread.current.send(i18next.t('chat:reply.continuePrompt'), {});
      },
    }),
    [],
  );
}
