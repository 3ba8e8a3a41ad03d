import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPaths, defaultDataDir } from '../src/main/paths';

describe('defaultDataDir', () => {
  it('uses HUBDESK_DATA_DIR when set, on every platform', () => {
    expect(defaultDataDir({ HUBDESK_DATA_DIR: '/srv/hubdesk' }, 'linux', '/home/ann')).toBe('/srv/hubdesk');
    expect(
      defaultDataDir({ HUBDESK_DATA_DIR: '/srv/hubdesk', XDG_CONFIG_HOME: '/x' }, 'darwin', '/Users/ann'),
    ).toBe('/srv/hubdesk');
    expect(
      defaultDataDir({ HUBDESK_DATA_DIR: 'D:\\HubData', APPDATA: 'C:\\AppData' }, 'win32', 'C:\\Users\\ann'),
    ).toBe('D:\\HubData');
  });

  it('makes a relative HUBDESK_DATA_DIR absolute and ignores a blank one', () => {
    expect(defaultDataDir({ HUBDESK_DATA_DIR: 'data' }, 'linux', '/home/ann')).toBe(`${process.cwd()}/data`);
    expect(defaultDataDir({ HUBDESK_DATA_DIR: '  ' }, 'linux', '/home/ann')).toBe(
      '/home/ann/.config/HubDesk',
    );
  });

  it('matches Electron userData on Linux: XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultDataDir({}, 'linux', '/home/ann')).toBe('/home/ann/.config/HubDesk');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ann')).toBe('/cfg/HubDesk');
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'relative/cfg' }, 'linux', '/home/ann')).toBe(
      '/home/ann/.config/HubDesk',
    );
    expect(defaultDataDir({}, 'freebsd', '/home/ann')).toBe('/home/ann/.config/HubDesk');
  });

  it('matches Electron userData on macOS and Windows', () => {
    expect(defaultDataDir({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/HubDesk');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\HubDesk',
    );
    expect(defaultDataDir({}, 'win32', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\HubDesk');
  });
});

describe('dataPaths', () => {
  it('puts the database and the library inside the data folder', () => {
    expect(dataPaths('/data')).toEqual({
      dataDir: '/data',
      databasePath: '/data/hubdesk.sqlite',
      libraryDir: '/data/library',
    });
  });

  it("knows the folder the app would look in by the core's environment, not the process's", () => {
    const env = { XDG_CONFIG_HOME: '/home/ann/.config' };
    const appFolder = defaultDataDir(env, 'linux', '/home/ann');
    expect(dataPaths(appFolder, undefined, env).locationFile).toBe(join(appFolder, 'data-location.json'));
    expect(
      dataPaths(appFolder, undefined, { ...env, HUBDESK_DATA_DIR: appFolder }).locationFile,
    ).toBeUndefined();
    expect(dataPaths('/elsewhere', undefined, env).locationFile).toBeUndefined();
  });
});
