import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'HubDesk';
export const DATA_DIR_ENV_VAR = 'HUBDESK_DATA_DIR';

/** The file in the platform folder that says where the data folder was moved to (`{"dataDir": "/abs"}`). */
export const DATA_LOCATION_FILE = 'data-location.json';

/**
 * The app's data folder: HUBDESK_DATA_DIR when set; otherwise where a move recorded it (the data-location file in
 * the platform folder); otherwise the platform folder itself, the one Electron's `app.getPath('userData')` gives
 * for the app name "HubDesk", so the CLI and the app share one database.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const override = env[DATA_DIR_ENV_VAR]?.trim();
  if (override) return platform === 'win32' ? path.win32.resolve(override) : path.posix.resolve(override);
  const platformDir = platformDataDir(env, platform, home);
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  return readDataLocation(pathApi.join(platformDir, DATA_LOCATION_FILE), platform) ?? platformDir;
}

/** The platform's own folder for the app, ignoring HUBDESK_DATA_DIR and any move. */
export function platformDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
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

/** The moved-to folder a data-location file names, or null when there is none or it is not usable. */
export function readDataLocation(file: string, platform: NodeJS.Platform = process.platform): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || !('dataDir' in value)) return null;
    const dataDir = value.dataDir;
    const pathApi = platform === 'win32' ? path.win32 : path.posix;
    return typeof dataDir === 'string' && pathApi.isAbsolute(dataDir) ? pathApi.normalize(dataDir) : null;
  } catch {
    return null;
  }
}

/**
 * Records `dataDir` as the data folder: written to a temporary file and flushed, then renamed and the folder flushed,
 * so it is never half-written and, once this returns, survives a power cut (a move's commit point).
 */
export function writeDataLocation(file: string, dataDir: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.part`;
  const fd = fs.openSync(partial, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify({ dataDir }, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(partial, file);
  try {
    const dir = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } catch {
    // Windows cannot open a folder, and some file systems do not flush one; the rename is still done.
  }
}

export interface DataPaths {
  dataDir: string;
  databasePath: string;
  libraryDir: string;
  /**
   * The data-location file a move rewrites. Absent when the folder was not chosen by the default resolution
   * (HUBDESK_DATA_DIR, a CLI flag, a test's folder): such a folder is not moved by the app.
   */
  locationFile?: string;
}

/**
 * `locationFile` defaults to the platform folder's data-location file when `dataDir` is where the app would look
 * with this environment.
 */
export function dataPaths(
  dataDir: string,
  locationFileInput?: string,
  env: NodeJS.ProcessEnv = process.env,
): DataPaths {
  const locationFile = locationFileInput ?? managedLocationFile(dataDir, env);
  return {
    dataDir,
    databasePath: path.join(dataDir, 'hubdesk.sqlite'),
    libraryDir: path.join(dataDir, 'library'),
    ...(locationFile ? { locationFile } : {}),
  };
}

function managedLocationFile(dataDir: string, env: NodeJS.ProcessEnv): string | undefined {
  if (env[DATA_DIR_ENV_VAR]?.trim()) return undefined;
  if (path.resolve(dataDir) !== path.resolve(defaultDataDir(env))) return undefined;
  return path.join(platformDataDir(env), DATA_LOCATION_FILE);
}
