import { z } from 'zod';
import type { EventMap } from './channel-map';

/** What a native menu item or a keyboard shortcut asks the window to do; both take the same path in the renderer. */
export const menuCommandSchema = z.enum([
  'new-chat',
  'search',
  'stop',
  'toggle-sidebar',
  'toggle-conversations',
  'settings',
  'shortcuts',
  'show-chat',
  'show-transcribe',
  'show-videos',
  'show-knowledge',
  'show-usage',
  'focus-composer',
]);
export type MenuCommand = z.infer<typeof menuCommandSchema>;
export const menuCommands = menuCommandSchema.options;

// The menu events of the contract (spread into contract.ts).
export const menuEvents = {
  /** A menu item (or its accelerator, when the page did not handle the key itself) was chosen. */
  'menu.command': z.object({ command: menuCommandSchema }),
} as const satisfies EventMap;
