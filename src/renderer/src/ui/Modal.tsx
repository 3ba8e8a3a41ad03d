import './modal.css';
import { type ReactNode, useEffect, useRef } from 'react';

/** A modal <dialog> shown while `open`; Escape or the backdrop's close calls `onClose`. */
export function Modal({
  open,
  labelledBy,
  describedBy,
  className,
  onClose,
  children,
}: {
  open: boolean;
  labelledBy: string;
  describedBy?: string;
  className?: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className={`dialog${className ? ` ${className}` : ''}`}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onClose={onClose}
    >
      {open ? children : null}
    </dialog>
  );
}
