import type { ChannelMap, EventMap } from './channel-map';

// Being written: the desktop channels and events of the contract (spread into contract.ts).
export const desktopChannels = {} as const satisfies ChannelMap;
export const desktopEvents = {} as const satisfies EventMap;
