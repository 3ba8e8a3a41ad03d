import type { HubBridge } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import { buildBridge, createSocketBridge, EventListeners } from './socket-bridge';

const NO_BRIDGE: AppError = {
  kind: 'network',
  message: 'This page is not connected to HubDesk: open it from the app, or with its ?secret=… link.',
};

/** A bridge for a page opened without preload or secret: every invoke says so instead of hanging. */
function createDisconnectedBridge(): HubBridge {
  return buildBridge(async () => ({ ok: false, error: NO_BRIDGE }), new EventListeners());
}

let bridge: HubBridge | null = null;

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
    bridge = socketBridge;
    return socketBridge;
  }
  bridge = createDisconnectedBridge();
  return bridge;
}
