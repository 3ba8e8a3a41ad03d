import type { HubBridge } from '../../shared/contract';

declare global {
  interface Window {
    /** Exposed by preload in Electron; absent in a plain browser (the WebSocket bridge is used there). */
    hub?: HubBridge;
  }
}
