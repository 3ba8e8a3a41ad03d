import { type ChangeEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReusedImage } from '../../../shared/videos/channels';
import { getBridge } from '../bridge';
import { currentLanguage } from '../i18n';

export type PickedImage = { name: string; path: string; file: Blob };

const ACCEPT = 'image/png,image/jpeg,image/webp';

/** An image main read again from disk (Reuse prompt), as if it had just been picked. */
export function pickedImage(image: ReusedImage): PickedImage {
  const bytes = Uint8Array.from(atob(image.dataBase64), (char) => char.charCodeAt(0));
  return { name: image.name, path: image.path, file: new Blob([bytes], { type: image.mimeType }) };
}

/** A thumbnail of the chosen image, from a blob URL that lives as long as the preview. */
function Preview({ file }: { file: Blob }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const next = URL.createObjectURL(file);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [file]);
  return url ? (
    <img src={url} alt="" className="video-image-preview" />
  ) : (
    <span className="video-image-preview" />
  );
}

/**
 * Picks (or takes a dropped) image and hands main its path; the renderer only shows a preview of it.
 * `label` is the input's accessible name ("Image", "End frame").
 */
export function ImagePicker({
  label,
  hint,
  value,
  onChange,
  error,
}: {
  label: string;
  hint: string;
  value: PickedImage | null;
  onChange: (image: PickedImage | null) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation('videos');
  const id = useId();
  const [adding, setAdding] = useState(false);
  const [addError, setAddError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    setDragging(false);
    if (!file) return;
    setAddError(null);
    if (!/^image\/(png|jpeg|webp)$/.test(file.type)) {
      setAddError(t('image.notImage', { name: file.name }));
      input.value = '';
      return;
    }
    setAdding(true);
    try {
      const path = await getBridge().pathForFile(file);
      onChange({ name: file.name, path, file });
    } catch (cause) {
      setAddError(cause instanceof Error ? cause.message : t('image.couldNotAdd', { name: file.name }));
    } finally {
      setAdding(false);
      input.value = '';
    }
  };

  const message = addError ?? error ?? null;
  const describedBy = `${id}-hint${message ? ` ${id}-error` : ''}`;
  return (
    <div className="video-image-field">
      <span className="field-label" id={`${id}-label`}>
        {label}
      </span>
      {value ? (
        <div className="video-image-chosen">
          <Preview file={value.file} />
          <span className="video-image-name" title={value.name}>
            {value.name}
          </span>
          <button
            type="button"
            className="text-button"
            aria-label={t('image.removeNamed', { label: label.toLocaleLowerCase(currentLanguage()) })}
            onClick={() => onChange(null)}
          >
            {t('image.remove')}
          </button>
        </div>
      ) : (
        <div className={`video-drop${dragging ? ' is-dragging' : ''}${message ? ' is-invalid' : ''}`}>
          <svg viewBox="0 0 24 24" className="video-drop-glyph" aria-hidden="true" focusable="false">
            <rect x="3.5" y="4.5" width="17" height="15" rx="2.5" />
            <circle cx="9" cy="10" r="1.8" />
            <path d="m4 17 5-4.5 4 3.5 3-2.5 4.5 3.5" />
          </svg>
          <span>{adding ? t('image.adding') : t('image.choose')}</span>
          <input
            id={id}
            type="file"
            accept={ACCEPT}
            aria-label={label}
            aria-describedby={describedBy}
            aria-invalid={message ? true : undefined}
            disabled={adding}
            onChange={pick}
            onDragEnter={() => setDragging(true)}
            onDragLeave={() => setDragging(false)}
          />
        </div>
      )}
      <span className="hint" id={`${id}-hint`}>
        {hint}
      </span>
      {message ? (
        <span className="field-error" id={`${id}-error`}>
          {message}
        </span>
      ) : null}
    </div>
  );
}
