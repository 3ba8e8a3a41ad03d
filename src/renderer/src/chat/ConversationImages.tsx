import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import type { ThreadMessage } from '../../../shared/chat';
import { libraryUrl } from '../media';
import { ImageViewer, type ViewerImage } from '../ui/ImageViewer';

/** Opens the viewer on an image attached to a message (by the message and the image's library path). */
const OpenImage = createContext<((messageId: string, path: string) => void) | null>(null);

export function useOpenImage() {
  return useContext(OpenImage);
}

const imageKey = (messageId: string, path: string) => `${messageId}/${path}`;

/** The images attached to the conversation's messages held, shown one at a time in the viewer, in order. */
export function ConversationImages({
  messages,
  children,
}: {
  messages: readonly ThreadMessage[];
  children: ReactNode;
}) {
  const [shown, setShown] = useState<string | null>(null);
  const images = useMemo<ViewerImage[]>(
    () =>
      messages.flatMap((message) =>
        message.images.map((image) => ({
          key: imageKey(message.id, image.path),
          src: libraryUrl(image.path),
          name: image.name,
        })),
      ),
    [messages],
  );
  const open = useMemo(() => (messageId: string, path: string) => setShown(imageKey(messageId, path)), []);
  const index = shown === null ? -1 : images.findIndex((image) => image.key === shown);
  return (
    <OpenImage.Provider value={open}>
      {children}
      {index === -1 ? null : (
        <ImageViewer
          images={images}
          index={index}
          onIndex={(next) => setShown(images[next]?.key ?? null)}
          onClose={() => setShown(null)}
        />
      )}
    </OpenImage.Provider>
  );
}
