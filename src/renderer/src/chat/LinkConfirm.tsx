import { createContext, type ReactNode, useCallback, useContext, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../hub';
import { Modal } from '../ui/Modal';

const LinkConfirmContext = createContext<(url: string) => void>(() => {});

/** Asks before a link from model output leaves the app: shows the exact, full URL first. */
export function useLinkConfirm(): (url: string) => void {
  return useContext(LinkConfirmContext);
}

export function LinkConfirmProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation('chat');
  const [url, setUrl] = useState<string | null>(null);
  const ask = useCallback((next: string) => setUrl(next), []);

  // Main opens it in the OS browser; where main has none (the browser harness), the page opens it itself.
  const open = () => {
    if (url?.toLowerCase().startsWith('https:')) {
      call('app.openLink', { url })
        .then(({ opened }) => {
          if (!opened) window.open(url, '_blank', 'noopener');
        })
        .catch(() => undefined);
    }
    setUrl(null);
  };

  return (
    <LinkConfirmContext.Provider value={ask}>
      {children}
      <Modal open={url !== null} labelledBy="link-confirm-title" onClose={() => setUrl(null)}>
        <h2 id="link-confirm-title">{t('link.title')}</h2>
        <p className="muted">{t('link.body')}</p>
        <p className="dialog-url">{url}</p>
        <div className="button-row dialog-actions">
          <button type="button" className="button" onClick={() => setUrl(null)}>
            {t('link.cancel')}
          </button>
          <button type="button" className="button button-primary" onClick={open}>
            {t('link.open')}
          </button>
        </div>
      </Modal>
    </LinkConfirmContext.Provider>
  );
}
