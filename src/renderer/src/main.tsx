import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startAppearance } from './appearance';
import { hasConnection } from './bridge';
import { missingKeys } from './i18n';
import { startLanguage } from './language';
import { NotConnected } from './NotConnected';
import './styles.css';
import './ui/controls.css';
import './ui/notices.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// The first paint is already in the user's language, theme and text size.
void Promise.all([startLanguage(), startAppearance()]).then(() => {
  createRoot(root).render(<StrictMode>{hasConnection() ? <App /> : <NotConnected />}</StrictMode>);
});
(window as unknown as { hubdeskMissingKeys: () => string[] }).hubdeskMissingKeys = missingKeys;
