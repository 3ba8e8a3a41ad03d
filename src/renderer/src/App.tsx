import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MenuCommand } from '../../shared/desktop-menu';
import { commandForKey } from '../../shared/shortcuts';
import { AppIcon } from './AppIcon';
import { ChatScreen } from './chat/ChatScreen';
import { runCommand } from './commands';
import { useProfiles, useTokenStatus } from './hooks';
import { useHubEvent } from './hub';
import { KnowledgeScreen } from './knowledge/KnowledgeScreen';
import { onNavigate, type Screen } from './navigation';
import { ShortcutsSheet } from './ShortcutsSheet';
import { SidebarToggle, useSidebarCollapsed } from './SidebarToggle';
import { SearchPalette } from './search/palette/SearchPalette';
import { RelatedConversations } from './search/RelatedConversations';
import { SearchResults } from './search/SearchResults';
import { SettingsScreen } from './settings/SettingsScreen';
import { TranscribeScreen } from './transcribe/TranscribeScreen';
import { UpdateNotice } from './UpdateNotice';
import { kindGlyphs } from './ui/glyphs';
import { UsageScreen } from './usage/UsageScreen';
import { VideosScreen } from './videos/VideosScreen';

const glyphs: Record<Screen, ReactNode> = {
  chat: kindGlyphs.message,
  transcribe: kindGlyphs.segment,
  videos: kindGlyphs.video,
  knowledge: (
    <>
      <path d="M5 4.5A1.5 1.5 0 0 1 6.5 3H19v15H6.5A1.5 1.5 0 0 0 5 19.5z" />
      <path d="M5 19.5A1.5 1.5 0 0 0 6.5 21H19v-3M9 7.5h6M9 11h4" />
    </>
  ),
  usage: <path d="M4 20V10M10 20V4M16 20v-7M21 20H3" />,
  settings: (
    <>
      <path d="M4 7h10M18 7h2M4 17h2M10 17h10" />
      <circle cx="16" cy="7" r="2" />
      <circle cx="8" cy="17" r="2" />
    </>
  ),
};

const navItems: Screen[] = ['chat', 'transcribe', 'videos', 'knowledge', 'usage', 'settings'];

const pageCommands: Partial<Record<MenuCommand, Screen>> = {
  'show-chat': 'chat',
  'show-transcribe': 'transcribe',
  'show-videos': 'videos',
  'show-knowledge': 'knowledge',
  'show-usage': 'usage',
  settings: 'settings',
};
/** Commands the chat page answers: it is shown first, and the command waits for it. */
const chatCommands: ReadonlySet<MenuCommand> = new Set(['new-chat', 'focus-composer']);

/** Escape stops a reply only when nothing else took it: an open dialog or menu closes instead. */
function escapeIsFree(event: KeyboardEvent): boolean {
  return !event.defaultPrevented && document.querySelector('dialog[open]') === null;
}

export function App() {
  const profiles = useProfiles();
  const activeId = profiles.value?.activeId ?? null;
  const activeToken = useTokenStatus(activeId);
  const { t } = useTranslation();
  const [screen, setScreen] = useState<Screen | null>(null);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [sidebarCollapsed, toggleSidebar] = useSidebarCollapsed();

  // Open once on Settings when the active profile has no token (or nothing could be read), else on Chat.
  useEffect(() => {
    if (screen !== null || profiles.loading) return;
    if (!profiles.value || activeId === null || activeToken.error) {
      setScreen('settings');
      return;
    }
    const status = activeToken.value;
    if (!status || status.profileId !== activeId) return;
    setScreen(status.set ? 'chat' : 'settings');
  }, [screen, profiles.loading, profiles.value, activeId, activeToken.value, activeToken.error]);

  useEffect(() => onNavigate(setScreen), []);

  // Shortcuts and native menu items are one thing: a command, run here or by the page that answers it.
  const screenShown = useRef(screen);
  screenShown.current = screen;
  const command = useRef((name: MenuCommand) => {
    const page = pageCommands[name];
    if (page) setScreen(page);
    else if (name === 'shortcuts') setShortcutsOpen(true);
    else if (chatCommands.has(name)) {
      const switching = screenShown.current !== 'chat';
      setScreen('chat');
      runCommand(name, switching);
    } else runCommand(name);
  });
  useHubEvent('menu.command', ({ command: name }) => command.current(name));
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const name = commandForKey(event);
      if (!name || (name === 'stop' && !escapeIsFree(event))) return;
      if (name !== 'stop') event.preventDefault();
      command.current(name);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const activeProfile = profiles.value?.profiles.find((profile) => profile.id === activeId) ?? null;
  const tokenSet = activeToken.value?.set ?? false;

  return (
    <div className={sidebarCollapsed ? 'app sidebar-collapsed' : 'app'}>
      <aside className="sidebar">
        <div className="sidebar-inner">
          <div className="brand">
            <AppIcon size={30} />
            <span className="brand-name">HubDesk</span>
          </div>
          <nav aria-label={t('nav.label')}>
            <ul className="nav-list">
              {navItems.map((item) => (
                <li key={item}>
                  <button
                    type="button"
                    className="nav-button"
                    aria-current={screen === item ? 'page' : undefined}
                    title={sidebarCollapsed ? t(`nav.${item}`) : undefined}
                    onClick={() => setScreen(item)}
                  >
                    <svg viewBox="0 0 24 24" className="nav-glyph" aria-hidden="true" focusable="false">
                      {glyphs[item]}
                    </svg>
                    <span>{t(`nav.${item}`)}</span>
                    {item === 'settings' && activeProfile && !activeToken.loading && !tokenSet ? (
                      <span className="nav-dot" aria-hidden="true" title={t('nav.noTokenSet')} />
                    ) : null}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <div className="sidebar-footer">
            {activeProfile ? (
              <>
                <span className="sidebar-profile" title={activeProfile.baseUrl}>
                  {activeProfile.name}
                </span>
                <span className={tokenSet ? 'sidebar-token ok' : 'sidebar-token warn'}>
                  {activeToken.loading
                    ? t('sidebar.checkingToken')
                    : tokenSet
                      ? t('sidebar.tokenSet')
                      : t('sidebar.noToken')}
                </span>
              </>
            ) : (
              <span className="sidebar-token">
                {profiles.loading ? t('sidebar.loading') : t('sidebar.noProfile')}
              </span>
            )}
          </div>
          <SidebarToggle collapsed={sidebarCollapsed} onToggle={toggleSidebar} />
        </div>
      </aside>
      <main className="content">
        {screen === null ? (
          <p className="loading" role="status">
            {t('app.loading')}
          </p>
        ) : null}
        {screen === 'chat' ? (
          <ChatScreen SearchResults={SearchResults} Related={RelatedConversations} />
        ) : null}
        {screen === 'transcribe' ? <TranscribeScreen /> : null}
        {screen === 'videos' ? <VideosScreen /> : null}
        {screen === 'knowledge' ? <KnowledgeScreen /> : null}
        {screen === 'usage' ? <UsageScreen /> : null}
        {screen === 'settings' ? (
          <SettingsScreen profiles={profiles} activeTokenSet={activeToken.loading ? null : tokenSet} />
        ) : null}
      </main>
      <UpdateNotice />
      <SearchPalette />
      <ShortcutsSheet open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </div>
  );
}
