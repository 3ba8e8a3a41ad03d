import { contextBridge, type IpcRendererEvent, ipcRenderer, webUtils } from 'electron';
import { type Channel, channelNames, type HubBridge, isEventName } from '../shared/contract';

// One function per contract channel, and nothing else: the page cannot name a channel of its own.
const invoke = Object.fromEntries(
  channelNames.map((channel: Channel) => [
    channel,
    (request: unknown) => ipcRenderer.invoke(channel, request),
  ]),
) as HubBridge['invoke'];

const bridge: HubBridge = {
  invoke,
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`Unknown event: ${String(event)}`);
    const wrapped = (_event: IpcRendererEvent, payload: unknown) =>
      (listener as (payload: unknown) => void)(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
  async pathForFile(file) {
    return webUtils.getPathForFile(file as File);
  },
};

contextBridge.exposeInMainWorld('hub', bridge);
