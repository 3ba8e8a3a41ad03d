import { useEffect, useMemo, useState } from 'react';
import type { ThreadMessage } from '../../../shared/chat';
import { libraryUrl } from '../media';
import { ImageViewer, type ViewerImage } from '../ui/ImageViewer';

type Opener = (messageId: string, path: string) => void;

/** The viewers mounted, the latest last: a thumbnail opens the one of the conversation shown. */
const openers: Opener[] = [];

/** Opens the viewer on an image attached to a message (by the message and the image's library path). */
export function openImage(messageId: string, path: string): void {
  openers.at(-1)?.(messageId, path);
}

const imageKey = (messageId: string, path: string) => `${messageId}/${path}`;

/** The images attached to the conversation's messages held, shown one at a time in the viewer, in order. */
export function ConversationImages({ messages }: { messages: readonly ThreadMessage[] }) {
  const [shown, setShown] = useState<string | null>(null);
  useEffect(() => {
    const open: Opener = (messageId, path) => setShown(imageKey(messageId, path));
    openers.push(open);
    return () => {
      openers.splice(openers.indexOf(open), 1);
    };
  }, []);
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
  const index = shown === null ? -1 : images.findIndex((image) => image.key === shown);
  if (index === -1) return null;
  return (
    <ImageViewer
      images={images}
      index={index}
      onIndex={(next) => setShown(images[next]?.key ?? null)}
      onClose={() => setShown(null)}
    />
  );
}
