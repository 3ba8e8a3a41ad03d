/** How the window looks and answers keys: theme, text size and the key that sends a chat message. */
import { z } from 'zod';
import type { ChannelMap, EventMap } from './channel-map';

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof themeSchema>;

/** Steps of the app's root font size; every size in the stylesheets is rem, so all text follows. */
export const textSizeSchema = z.enum(['small', 'default', 'large', 'larger']);
export type TextSize = z.infer<typeof textSizeSchema>;
export const textSizes = textSizeSchema.options;
export const textScale: Readonly<Record<TextSize, number>> = {
  small: 0.875,
  default: 1,
  large: 1.125,
  larger: 1.25,
};

/** `enter`: Enter sends, Shift+Enter starts a new line. `mod-enter`: Ctrl+Enter (⌘+Enter) sends, Enter starts a new line. */
export const sendKeySchema = z.enum(['enter', 'mod-enter']);
export type SendKey = z.infer<typeof sendKeySchema>;

export const appearanceSchema = z.object({
  theme: themeSchema,
  textSize: textSizeSchema,
  sendKey: sendKeySchema,
});
export type Appearance = z.infer<typeof appearanceSchema>;

export const defaultAppearance: Appearance = { theme: 'system', textSize: 'default', sendKey: 'enter' };

export const appearanceChannels = {
  'appearance.get': { request: z.object({}).strict(), response: appearanceSchema },
  /** Changes the given fields and keeps the rest. */
  'appearance.set': { request: appearanceSchema.partial().strict(), response: appearanceSchema },
} as const satisfies ChannelMap;

export const appearanceEvents = {
  /** The setting changed: every window applies it, and the shell sets the native theme. */
  'appearance.changed': appearanceSchema,
} as const satisfies EventMap;

/** The keys that send and that start a new line in the chat's text boxes, in the shortcut table's syntax. */
export function sendKeyAccelerators(sendKey: SendKey): { send: string; newLine: string } {
  return sendKey === 'enter'
    ? { send: 'Enter', newLine: 'Shift+Enter' }
    : { send: 'CmdOrCtrl+Enter', newLine: 'Enter' };
}
