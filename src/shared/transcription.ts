import type { ChannelMap, EventMap } from './channel-map';

// Being written: the transcription channels and events of the contract (spread into contract.ts).
export const transcriptionChannels = {} as const satisfies ChannelMap;
export const transcriptionEvents = {} as const satisfies EventMap;
