import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type SendKey, sendKeyAccelerators } from '../../../shared/appearance';
import { keysText, useSendKey } from '../appearance';

type EnterPress = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'altKey' | 'ctrlKey' | 'metaKey'> & {
  nativeEvent: { isComposing: boolean };
};

/**
 * Whether a key press in a chat text box sends, for the chosen send key: Enter (Ctrl/⌘+Enter too) or only
 * Ctrl/⌘+Enter. Shift+Enter never sends, nor does Enter that confirms an input method's composition.
 */
export function isSendPress(event: EnterPress, sendKey: SendKey): boolean {
  if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.nativeEvent.isComposing) return false;
  return sendKey === 'enter' || event.ctrlKey || event.metaKey;
}

/** The chosen send key for a chat text box: the key test, and the words that show it. */
export function useSendKeys() {
  const { t } = useTranslation('chat');
  const sendKey = useSendKey();
  const keys = keysText(sendKeyAccelerators(sendKey).send);
  const hints = sendKey === 'enter' ? 'sendKey.enter' : 'sendKey.modEnter';
  return {
    keys,
    isSend: (event: EnterPress) => isSendPress(event, sendKey),
    hint: t(`${hints}.hint`, { keys }),
    hintTextOnly: (model: string) => t(`${hints}.hintTextOnly`, { keys, model }),
  };
}
