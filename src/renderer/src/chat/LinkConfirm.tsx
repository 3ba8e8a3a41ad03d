import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

const LinkConfirmContext = createContext<(url: string) => void>(() => {});

/** Asks before a link from model output leaves the app: shows the exact, full URL first. */
export function useLinkConfirm(): (url: string) => void {
  return useContext(LinkConfirmContext);
}

export function LinkConfirmProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation('chat');
  const [url, setUrl] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const ask = useCallback((next: string) => setUrl(next), []);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (url !== null && !element.open) element.showModal();
    if (url === null && element.open) element.close();
  }, [url]);

  const open = () => {
    if (url?.toLowerCase().startsWith('https:')) window.open(url, '_blank', 'noopener');
    setUrl(null);
  };

  return (
    <LinkConfirmContext.Provider value={ask}>
      {children}
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby="link-confirm-title"
        onClose={() => setUrl(null)}
      >
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
      </dialog>
    </LinkConfirmContext.Provider>
  );
}
