import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { commandShortcuts } from '../../shared/shortcuts';
import { keysText } from './appearance';
import { useCommand } from './commands';

const COLLAPSED_KEY = 'hubdesk.sidebar.collapsed';

function readCollapsed(): boolean {
  try {
    return localStorage.getItem(COLLAPSED_KEY) === '1';
  } catch {
    return false;
  }
}

/** Whether the app's navigation is narrowed to its icons; remembered, and toggled by Ctrl/⌘+B or the menu. */
export function useSidebarCollapsed(): [collapsed: boolean, toggle: () => void] {
  const [collapsed, setCollapsed] = useState(readCollapsed);
  const toggle = () =>
    setCollapsed((was) => {
      try {
        localStorage.setItem(COLLAPSED_KEY, was ? '0' : '1');
      } catch {
        // Without storage the sidebar opens expanded next time.
      }
      return !was;
    });
  useCommand('toggle-sidebar', toggle);
  return [collapsed, toggle];
}

/** The button at the foot of the navigation that narrows it to icons and widens it again. */
export function SidebarToggle({ collapsed, onToggle }: { collapsed: boolean; onToggle: () => void }) {
  const { t } = useTranslation();
  const label = collapsed ? t('sidebarToggle.expand') : t('sidebarToggle.collapse');
  return (
    <button
      type="button"
      className="nav-button sidebar-toggle"
      aria-expanded={!collapsed}
      title={`${label} (${keysText(commandShortcuts['toggle-sidebar'])})`}
      onClick={onToggle}
    >
      <svg viewBox="0 0 24 24" className="nav-glyph" aria-hidden="true" focusable="false">
        <rect x="3.5" y="4.5" width="17" height="15" rx="2" />
        <path d="M9 4.5v15" />
        <path d={collapsed ? 'm13 10 2 2-2 2' : 'm15 10-2 2 2 2'} />
      </svg>
      <span>{label}</span>
    </button>
  );
}
