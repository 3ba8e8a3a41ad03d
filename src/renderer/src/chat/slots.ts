import type { ComponentType } from 'react';
import type { SearchHit } from '../../../shared/chat';

/** What the chat page shows from the search page, handed in by App: a feature never imports another. */
export type ChatSlots = {
  /** Keyword hits for what is typed in the sidebar's search box. */
  SearchResults: ComponentType<{ query: string; onOpen: (hit: SearchHit) => void }>;
  /** "Related" under a message: the closest messages in other conversations. */
  Related: ComponentType<{ messageId: string; onClose: () => void }>;
};
