import type { ChannelMap, EventMap } from './channel-map';

// Being written: the videos channels and events of the contract (spread into contract.ts).
export const videoChannels = {} as const satisfies ChannelMap;
export const videoEvents = {} as const satisfies EventMap;
