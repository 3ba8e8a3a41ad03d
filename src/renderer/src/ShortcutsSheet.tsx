import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { MenuCommand } from '../../shared/desktop-menu';
import { type Accelerator, acceleratorLabel, commandShortcuts, pageShortcuts } from '../../shared/shortcuts';

type PageGroup = keyof typeof pageShortcuts;
type PageShortcut = { [G in PageGroup]: keyof (typeof pageShortcuts)[G] }[PageGroup];

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgent);

function Keys({ accelerator }: { accelerator: Accelerator }) {
  return (
    <span className="shortcut-keys">
      {acceleratorLabel(accelerator, isMac).map((key) => (
        <kbd key={key}>{key}</kbd>
      ))}
    </span>
  );
}

/** Every shortcut, listed from the same table the key handling reads (Ctrl/Cmd+/ or Help → Keyboard Shortcuts). */
export function ShortcutsSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  const commands = Object.entries(commandShortcuts) as [MenuCommand, Accelerator][];
  const groups = Object.entries(pageShortcuts) as [PageGroup, Record<PageShortcut, Accelerator>][];

  return (
    <dialog
      ref={dialog}
      className="dialog shortcuts-sheet"
      aria-labelledby="shortcuts-title"
      aria-describedby="shortcuts-intro"
      onClose={onClose}
    >
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <p id="shortcuts-intro" className="muted">
        {t('shortcuts.intro')}
      </p>
      <div className="shortcut-groups">
        <section aria-labelledby="shortcuts-app">
          <h3 id="shortcuts-app">{t('shortcuts.groups.app')}</h3>
          <dl className="shortcut-list">
            {commands.map(([command, accelerator]) => (
              <div key={command} className="shortcut-row">
                <dt>{t(`shortcuts.commands.${command}`)}</dt>
                <dd>
                  <Keys accelerator={accelerator} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
        {groups.map(([group, entries]) => (
          <section key={group} aria-labelledby={`shortcuts-${group}`}>
            <h3 id={`shortcuts-${group}`}>{t(`shortcuts.groups.${group}`)}</h3>
            <dl className="shortcut-list">
              {(Object.entries(entries) as [PageShortcut, Accelerator][]).map(([name, accelerator]) => (
                <div key={name} className="shortcut-row">
                  <dt>{t(`shortcuts.page.${name}`)}</dt>
                  <dd>
                    <Keys accelerator={accelerator} />
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <div className="button-row dialog-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          {t('actions.close')}
        </button>
      </div>
    </dialog>
  );
}
