import type { ChannelMap, EventMap } from './channel-map';

// Being written: the search channels and events of the contract (spread into contract.ts).
export const searchChannels = {} as const satisfies ChannelMap;
export const searchEvents = {} as const satisfies EventMap;
