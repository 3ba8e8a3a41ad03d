import i18next from 'i18next';
import type { HubBridge } from '../../shared/contract';
import { type AppError, NOT_CONNECTED_CODE } from '../../shared/errors';
import { buildBridge, createSocketBridge, EventListeners } from './socket-bridge';

/** A bridge for a page opened without preload or secret: every invoke says so instead of hanging. */
function createDisconnectedBridge(): HubBridge {
  const error: AppError = {
    kind: 'network',
    code: NOT_CONNECTED_CODE,
    message: i18next.t('errors.notConnected'),
  };
  return buildBridge(async () => ({ ok: false, error }), new EventListeners());
}

let bridge: HubBridge | null = null;
let connected = true;

/**
 * The browser harness has no file paths: it copies the file to the harness's own upload folder and hands main
 * that path, standing in for Electron's webUtils.getPathForFile.
 */
async function uploadForPath(file: Blob & { readonly name: string }, secret: string): Promise<string> {
  const query = `secret=${encodeURIComponent(secret)}&name=${encodeURIComponent(file.name)}`;
  const response = await fetch(`${window.location.origin}/upload?${query}`, { method: 'POST', body: file });
  if (!response.ok) throw new Error(`Could not add ${file.name} (HTTP ${response.status}).`);
  return ((await response.json()) as { path: string }).path;
}

/** `window.hub` in Electron; in a browser, a WebSocket bridge to `/hub` when the URL carries `?secret=`. */
export function getBridge(): HubBridge {
  if (bridge) return bridge;
  if (window.hub) {
    bridge = window.hub;
    return bridge;
  }
  const secret = new URLSearchParams(window.location.search).get('secret');
  if (secret) {
    const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${protocol}//${window.location.host}/hub?secret=${encodeURIComponent(secret)}`;
    const socketBridge = createSocketBridge(url, (address) => new WebSocket(address));
    bridge = { ...socketBridge, pathForFile: (file) => uploadForPath(file, secret) };
    return bridge;
  }
  connected = false;
  bridge = createDisconnectedBridge();
  return bridge;
}

/** False for a page opened in a browser without the harness's secret: it can reach no HubDesk at all. */
export function hasConnection(): boolean {
  getBridge();
  return connected;
}
