import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'HubDesk';
export const DATA_DIR_ENV_VAR = 'HUBDESK_DATA_DIR';

/**
 * The app's data folder: HUBDESK_DATA_DIR when set, otherwise the folder Electron's
 * `app.getPath('userData')` gives for the app name "HubDesk", so the CLI and the app share one database.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const override = env[DATA_DIR_ENV_VAR]?.trim();
  if (override) return platform === 'win32' ? path.win32.resolve(override) : path.posix.resolve(override);
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim() || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, APP_DIR_NAME);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  // XDG Base Directory spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  const xdgConfig = env.XDG_CONFIG_HOME?.trim();
  const configHome =
    xdgConfig && path.posix.isAbsolute(xdgConfig) ? xdgConfig : path.posix.join(home, '.config');
  return path.posix.join(configHome, APP_DIR_NAME);
}

export interface DataPaths {
  dataDir: string;
  databasePath: string;
  libraryDir: string;
}

export function dataPaths(dataDir: string): DataPaths {
  return {
    dataDir,
    databasePath: path.join(dataDir, 'hubdesk.sqlite'),
    libraryDir: path.join(dataDir, 'library'),
  };
}
