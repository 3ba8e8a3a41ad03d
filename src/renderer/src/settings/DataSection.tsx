import { useAppInfo, useColorScheme } from '../hooks';
import { ErrorNote } from './errors';

const platformNames: Record<string, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' };

/** `linux x64` → `Linux x64`. */
function platformLabel(platform: string): string {
  const [os = '', ...rest] = platform.split(' ');
  return [platformNames[os] ?? os, ...rest].join(' ');
}

/** Where HubDesk keeps its data on this computer (read-only), and how the theme is chosen. */
export function DataSection() {
  const info = useAppInfo();
  const scheme = useColorScheme();

  return (
    <section className="card">
      <div className="card-header">
        <h2>Data folder</h2>
        <p className="muted">
          History, the video library and settings live here. Tokens are not stored in it.
        </p>
      </div>
      {info.error ? <ErrorNote error={info.error} /> : null}
      {info.loading ? <p className="muted">Reading…</p> : null}
      {info.value ? (
        <dl className="facts">
          <dt>Data folder</dt>
          <dd>
            <code className="path">{info.value.dataDir}</code>
          </dd>
          <dt>Database</dt>
          <dd>
            <code className="path">{info.value.databasePath}</code>
          </dd>
          <dt>Library</dt>
          <dd>
            <code className="path">{info.value.libraryDir}</code>
          </dd>
          <dt>Platform</dt>
          <dd>{platformLabel(info.value.platform)}</dd>
          <dt>Version</dt>
          <dd>HubDesk {info.value.version}</dd>
          <dt>Theme</dt>
          <dd>Follows the system (now {scheme})</dd>
        </dl>
      ) : null}
    </section>
  );
}
