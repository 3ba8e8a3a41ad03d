import type { z } from 'zod';

/** The shape of a group of contract channels: each with a request and a response schema. */
export type ChannelMap = Record<string, { request: z.ZodType; response: z.ZodType }>;
/** The shape of a group of contract events: each with its payload schema. */
export type EventMap = Record<string, z.ZodType>;
