/** Prices (Settings → Prices, `hubdesk prices`) and whether the model names conversations (issue 18). */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';
import { priceKeySchema, priceRowSchema, priceSchema } from './costs';

export const pricesStateSchema = z.object({
  /** Every known model and every priced one, each with the price in force or none. */
  rows: z.array(priceRowSchema),
});
export type PricesState = z.infer<typeof pricesStateSchema>;

export const modelTitlesStateSchema = z.object({
  /** True: a new conversation is named by its model after the first reply; false: by its first words, here. */
  enabled: z.boolean(),
});
export type ModelTitlesState = z.infer<typeof modelTitlesStateSchema>;

export const costsChannels = {
  'prices.list': { request: z.object({}).strict(), response: pricesStateSchema },
  /** Sets the row's price (replacing the default or an earlier one). */
  'prices.set': { request: z.object({ price: priceSchema }).strict(), response: pricesStateSchema },
  /** Back to the default (or to no price set where there is none). */
  'prices.reset': { request: z.object({ key: priceKeySchema }).strict(), response: pricesStateSchema },
  'titles.get': { request: z.object({}).strict(), response: modelTitlesStateSchema },
  'titles.set': { request: z.object({ enabled: z.boolean() }).strict(), response: modelTitlesStateSchema },
} as const satisfies ChannelMap;

export const costsEvents = {
  'prices.changed': pricesStateSchema,
  'titles.changed': modelTitlesStateSchema,
} as const satisfies EventMap;
