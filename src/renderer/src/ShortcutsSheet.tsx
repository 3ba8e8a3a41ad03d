import './shortcuts-sheet.css';
import { useTranslation } from 'react-i18next';
import { sendKeyAccelerators } from '../../shared/appearance';
import type { MenuCommand } from '../../shared/desktop-menu';
import { type Accelerator, acceleratorLabel, commandShortcuts, pageShortcuts } from '../../shared/shortcuts';
import { useSendKey } from './appearance';
import { Modal } from './ui/Modal';

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

function ShortcutGroup({ id, title, rows }: { id: string; title: string; rows: [string, Accelerator][] }) {
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      <dl className="shortcut-list">
        {rows.map(([label, accelerator]) => (
          <div key={label} className="shortcut-row">
            <dt>{label}</dt>
            <dd>
              <Keys accelerator={accelerator} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Every shortcut, listed from the same table the key handling reads (Ctrl/Cmd+/ or Help → Keyboard Shortcuts). */
export function ShortcutsSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const commands = Object.entries(commandShortcuts) as [MenuCommand, Accelerator][];
  // The chat's send and new-line keys follow Settings → Appearance.
  const chatKeys = sendKeyAccelerators(useSendKey());
  const pages = {
    ...pageShortcuts,
    chat: { ...pageShortcuts.chat, send: chatKeys.send, newLine: chatKeys.newLine },
  };
  const groups = Object.entries(pages) as [PageGroup, Record<PageShortcut, Accelerator>][];

  return (
    <Modal
      open={open}
      labelledBy="shortcuts-title"
      describedBy="shortcuts-intro"
      className="shortcuts-sheet"
      onClose={onClose}
    >
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <p id="shortcuts-intro" className="muted">
        {t('shortcuts.intro')}
      </p>
      <div className="shortcut-groups">
        <ShortcutGroup
          id="shortcuts-app"
          title={t('shortcuts.groups.app')}
          rows={commands.map(([command, accelerator]) => [t(`shortcuts.commands.${command}`), accelerator])}
        />
        {groups.map(([group, entries]) => (
          <ShortcutGroup
            key={group}
            id={`shortcuts-${group}`}
            title={t(`shortcuts.groups.${group}`)}
            rows={(Object.entries(entries) as [PageShortcut, Accelerator][]).map(([name, accelerator]) => [
              t(`shortcuts.page.${name}`),
              accelerator,
            ])}
          />
        ))}
      </div>
      <div className="button-row dialog-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          {t('actions.close')}
        </button>
      </div>
    </Modal>
  );
}
