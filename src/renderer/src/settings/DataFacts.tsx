import { useTranslation } from 'react-i18next';
import type { AppInfo } from '../../../shared/contract';
import type { DataLocation } from '../../../shared/desktop';
import { useAppearance, useResolvedTheme } from '../appearance';
import { currentLanguage } from '../i18n';
import { folderSize } from './data-format';

// i18n-ignore: names of operating systems
const platformNames: Record<string, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' };

/** `linux x64` → `Linux x64`. */
function platformLabel(platform: string): string {
  const [os = '', ...rest] = platform.split(' ');
  return [platformNames[os] ?? os, ...rest].join(' ');
}

/** Where the data lives and how big it is, the copies kept before database updates, and the app's version. */
export function DataFacts({ info, location }: { info: AppInfo; location: DataLocation | null }) {
  const { t } = useTranslation('settings');
  const scheme = useResolvedTheme();
  const { theme } = useAppearance();
  return (
    <dl className="facts">
      <dt>{t('data.dataFolder')}</dt>
      <dd>
        <code className="path">{info.dataDir}</code>
      </dd>
      <dt>{t('data.database')}</dt>
      <dd>
        <code className="path">{info.databasePath}</code>
        {location ? <span className="muted"> · {folderSize(location.databaseBytes)}</span> : null}
      </dd>
      <dt>{t('data.library')}</dt>
      <dd>
        <code className="path">{info.libraryDir}</code>
        {location ? <span className="muted"> · {folderSize(location.libraryBytes)}</span> : null}
      </dd>
      {location ? (
        <>
          <dt>{t('data.updateCopies.title')}</dt>
          <dd>
            {location.updateCopies.length === 0 ? (
              <span className="muted">{t('data.updateCopies.none')}</span>
            ) : (
              <ul className="update-copies">
                {location.updateCopies.map((copy) => (
                  <li key={copy.path}>
                    <code className="path">{copy.path}</code>
                    <span className="muted update-copy-facts">
                      {t('data.updateCopies.item', {
                        from: copy.fromVersion,
                        to: copy.toVersion,
                        date: new Date(copy.createdAt).toLocaleString(currentLanguage(), {
                          dateStyle: 'medium',
                          timeStyle: 'short',
                        }),
                        size: folderSize(copy.bytes),
                      })}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </>
      ) : null}
      <dt>{t('data.platform')}</dt>
      <dd>{platformLabel(info.platform)}</dd>
      <dt>{t('data.version')}</dt>
      <dd>{t('data.versionValue', { version: info.version })}</dd>
      <dt>{t('data.theme')}</dt>
      <dd>
        {theme === 'system'
          ? t('data.themeValue', { scheme: t(`data.scheme.${scheme}`) })
          : t(`appearance.theme.${theme}`)}
      </dd>
    </dl>
  );
}
