import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { VideoJob, VideoVendor } from '../../../shared/videos/job';
import { createRequestOf, vendorOptionsOf } from '../../../shared/videos/reuse';
import type { VideoOptionSpec, VideoVendorSpec } from '../../../shared/videos/vendor-specs';
import { call, messageFor, toAppError } from '../hub';
import { currentLanguage } from '../i18n';
import {
  buildCreateRequest,
  carryOptionValues,
  defaultOptionValues,
  type FormProblems,
  type OptionValue,
  type OptionValues,
  optionProblem,
  optionValuesFromParams,
  refusalProblems,
  visibleOptions,
} from './create-form';
import { ImagePicker, type PickedImage, pickedImage } from './ImagePicker';
import { OptionField } from './OptionField';
import { VideoEstimate } from './VideoCost';

type Draft = {
  vendor: VideoVendor;
  model: string;
  prompt: string;
  values: OptionValues;
  image: PickedImage | null;
  imageTail: PickedImage | null;
};

function firstDraft(specs: VideoVendorSpec[]): Draft {
  const vendor = specs[0];
  const model = vendor?.models[0];
  return {
    vendor: vendor?.vendor ?? 'sora',
    model: model?.id ?? '',
    prompt: '',
    values: model ? defaultOptionValues(model) : {},
    image: null,
    imageTail: null,
  };
}

/** The names of the images a job was made from (all of them, when none could be read again). */
function seedImageNames(job: VideoJob): string[] {
  const request = createRequestOf(job);
  return [request.imagePath, request.imageTailPath].flatMap((path) =>
    path ? [path.split(/[\\/]/).at(-1) ?? path] : [],
  );
}

/**
 * The "New video" form, per vendor and model. It closes as soon as the request is handed to main (the job shows
 * up in the library at once); a request main refuses as invalid reopens it with the fields marked.
 */
export function CreateVideoDialog({
  open,
  specs,
  seed,
  onClose,
  onCreated,
  onFailed,
}: {
  open: boolean;
  specs: VideoVendorSpec[];
  /** A job whose prompt, model and options fill the form as it opens (Reuse prompt). */
  seed: VideoJob | null;
  onClose: () => void;
  onCreated: (job: VideoJob) => void;
  onFailed: (error: AppError) => void;
}) {
  const { t } = useTranslation('videos');
  const dialog = useRef<HTMLDialogElement>(null);
  const promptInput = useRef<HTMLTextAreaElement>(null);
  const [draft, setDraft] = useState<Draft>(() => firstDraft(specs));
  const [problems, setProblems] = useState<FormProblems>({});
  const [formError, setFormError] = useState<string | null>(null);
  /** The reused job's images that are no longer on disk (their names). */
  const [missingImages, setMissingImages] = useState<string[]>([]);
  const ids = useId();

  useEffect(() => {
    if (!open || !seed) return;
    const vendor = specs.find((spec) => spec.vendor === seed.vendor);
    const model = vendor?.models.find((candidate) => candidate.id === seed.model) ?? vendor?.models[0];
    if (!vendor || !model) return;
    setDraft({
      vendor: vendor.vendor,
      model: model.id,
      prompt: seed.prompt,
      values: optionValuesFromParams(model, vendorOptionsOf(seed.params)),
      image: null,
      imageTail: null,
    });
    setProblems({});
    setFormError(null);
    setMissingImages([]);
    let live = true;
    call('videos.reuseImages', { id: seed.id })
      .then((found) => {
        if (!live) return;
        setDraft((current) => ({
          ...current,
          image: found.image ? pickedImage(found.image) : current.image,
          imageTail: found.imageTail ? pickedImage(found.imageTail) : current.imageTail,
        }));
        setMissingImages(found.missing);
      })
      .catch(() => live && setMissingImages(seedImageNames(seed)));
    return () => {
      live = false;
    };
  }, [open, seed, specs]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      promptInput.current?.focus();
    }
    if (!open && element.open) element.close();
  }, [open]);

  const vendorSpec = specs.find((spec) => spec.vendor === draft.vendor) ?? specs[0];
  const modelSpec = vendorSpec?.models.find((model) => model.id === draft.model) ?? vendorSpec?.models[0];

  // The catalogue from main can differ from the built-in one: keep the draft on a model that exists.
  useEffect(() => {
    if (!vendorSpec || !modelSpec) return;
    if (draft.vendor !== vendorSpec.vendor || draft.model !== modelSpec.id) {
      setDraft((current) => ({
        ...current,
        vendor: vendorSpec.vendor,
        model: modelSpec.id,
        values: carryOptionValues(modelSpec, current.values),
      }));
    }
  }, [vendorSpec, modelSpec, draft.vendor, draft.model]);

  const options = useMemo(
    () => (modelSpec ? visibleOptions(draft.vendor, modelSpec, draft.image !== null) : []),
    [draft.vendor, modelSpec, draft.image],
  );

  if (!vendorSpec || !modelSpec) return null;

  const clearProblem = (field: string) => {
    setFormError(null);
    setProblems((current) => {
      if (!(field in current)) return current;
      const { [field]: _removed, ...rest } = current;
      return rest;
    });
  };

  const chooseVendor = (vendor: VideoVendor) => {
    const spec = specs.find((candidate) => candidate.vendor === vendor);
    const model = spec?.models[0];
    if (!spec || !model) return;
    setDraft((current) => ({
      ...current,
      vendor,
      model: model.id,
      values: carryOptionValues(model, current.values),
      image: spec.firstFrame ? current.image : null,
      imageTail: spec.lastFrame ? current.imageTail : null,
    }));
    setProblems({});
    setFormError(null);
  };

  const chooseModel = (id: string) => {
    const model = vendorSpec.models.find((candidate) => candidate.id === id);
    if (!model) return;
    setDraft((current) => ({ ...current, model: id, values: carryOptionValues(model, current.values) }));
    setProblems({});
  };

  const setValue = (spec: VideoOptionSpec, value: OptionValue) => {
    setDraft((current) => ({ ...current, values: { ...current.values, [spec.key]: value } }));
    const problem = optionProblem(spec, value);
    if (problem) setProblems((current) => ({ ...current, [spec.key]: problem }));
    else clearProblem(spec.key);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildCreateRequest(
      {
        vendor: draft.vendor,
        model: draft.model,
        prompt: draft.prompt,
        values: draft.values,
        imagePath: draft.image?.path,
        imageTailPath: draft.imageTail?.path,
      },
      vendorSpec,
    );
    if (built.problems) {
      setProblems(built.problems);
      const first = Object.keys(built.problems)[0];
      if (first === 'prompt') promptInput.current?.focus();
      return;
    }
    setProblems({});
    setFormError(null);
    const sent = draft;
    setDraft((current) => ({ ...current, prompt: '', image: null, imageTail: null }));
    onClose();
    try {
      onCreated(await call('videos.create', built.request));
    } catch (cause) {
      const error = toAppError(cause);
      if (error.kind !== 'invalid_input') {
        onFailed(error);
        return;
      }
      // Main refused the request before sending it: bring the form back as it was, with the reason.
      setDraft(sent);
      const refused = refusalProblems(error);
      if (refused) setProblems(refused);
      setFormError(messageFor(error));
      const { reason: _worded, ...refusal } = error;
      onFailed({ ...refusal, message: t('create.notCreated', { message: messageFor(error) }) });
    }
  };

  const promptLength = draft.prompt.trim().length;
  const promptTooLong = promptLength > vendorSpec.promptMaxLength;
  const problemList = Object.entries(problems);

  return (
    <dialog
      ref={dialog}
      className="dialog video-create"
      aria-labelledby={`${ids}-title`}
      onClose={onClose}
      onCancel={onClose}
    >
      <form onSubmit={submit} noValidate>
        <header className="video-create-head">
          <h2 id={`${ids}-title`}>{t('create.title')}</h2>
          <p className="muted">{t('create.subtitle', { vendor: vendorSpec.label })}</p>
        </header>
        <div className="video-create-body">
          <div className="video-create-row">
            <div className="field">
              <label className="field-label" htmlFor={`${ids}-vendor`}>
                {t('create.vendor')}
              </label>
              <select
                id={`${ids}-vendor`}
                value={draft.vendor}
                onChange={(event) => chooseVendor(event.target.value as VideoVendor)}
              >
                {specs.map((spec) => (
                  <option key={spec.vendor} value={spec.vendor}>
                    {spec.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label className="field-label" htmlFor={`${ids}-model`}>
                {t('create.model')}
              </label>
              <select
                id={`${ids}-model`}
                value={draft.model}
                aria-invalid={problems.model ? true : undefined}
                onChange={(event) => chooseModel(event.target.value)}
              >
                {vendorSpec.models.map((model) => (
                  <option key={model.id} value={model.id}>
                    {model.id}
                  </option>
                ))}
              </select>
            </div>
          </div>

          <div className="field">
            <div className="video-prompt-label">
              <label className="field-label" htmlFor={`${ids}-prompt`}>
                {t('create.prompt')}
              </label>
              <span className={`hint${promptTooLong ? ' video-over' : ''}`} aria-live="polite">
                {promptLength.toLocaleString(currentLanguage())} /{' '}
                {vendorSpec.promptMaxLength.toLocaleString(currentLanguage())}
              </span>
            </div>
            <textarea
              id={`${ids}-prompt`}
              ref={promptInput}
              rows={4}
              className="video-prompt"
              value={draft.prompt}
              placeholder={t('create.promptPlaceholder')}
              aria-invalid={problems.prompt ? true : undefined}
              aria-describedby={problems.prompt ? `${ids}-prompt-error` : undefined}
              onChange={(event) => {
                const prompt = event.target.value;
                setDraft((current) => ({ ...current, prompt }));
                clearProblem('prompt');
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
                  event.preventDefault();
                  event.currentTarget.form?.requestSubmit();
                }
              }}
            />
            {problems.prompt ? (
              <span id={`${ids}-prompt-error`} className="field-error">
                {problems.prompt}
              </span>
            ) : null}
          </div>

          {vendorSpec.firstFrame || vendorSpec.lastFrame ? (
            <div className="video-create-row">
              {vendorSpec.firstFrame ? (
                <ImagePicker
                  label={t('create.image')}
                  hint={draft.vendor === 'sora' ? t('create.imageHintSora') : t('create.imageHint')}
                  value={draft.image}
                  error={problems.image}
                  onChange={(image) => {
                    setDraft((current) => ({ ...current, image }));
                    clearProblem('image');
                  }}
                />
              ) : null}
              {vendorSpec.lastFrame ? (
                <ImagePicker
                  label={t('create.endFrame')}
                  hint={t('create.endFrameHint')}
                  value={draft.imageTail}
                  error={problems.imageTail}
                  onChange={(imageTail) => {
                    setDraft((current) => ({ ...current, imageTail }));
                    clearProblem('imageTail');
                  }}
                />
              ) : null}
            </div>
          ) : null}

          {seed && missingImages.length > 0 ? (
            <p className="hint" role="status">
              {t('manage.imagesMissing', {
                count: missingImages.length,
                names: missingImages.map((name) => `“${name}”`).join(', '),
              })}
            </p>
          ) : null}

          {options.length > 0 ? (
            <fieldset className="video-options">
              <legend className="video-options-legend">
                {t('create.options', { vendor: vendorSpec.label })}
              </legend>
              {options
                .filter((spec) => spec.type !== 'boolean')
                .map((spec) => (
                  <OptionField
                    key={`${draft.model}:${spec.key}`}
                    spec={spec}
                    value={draft.values[spec.key] ?? ''}
                    problem={problems[spec.key]}
                    onChange={(value) => setValue(spec, value)}
                  />
                ))}
              {options.some((spec) => spec.type === 'boolean') ? (
                <div className="video-toggles">
                  {options
                    .filter((spec) => spec.type === 'boolean')
                    .map((spec) => (
                      <OptionField
                        key={`${draft.model}:${spec.key}`}
                        spec={spec}
                        value={draft.values[spec.key] ?? false}
                        problem={problems[spec.key]}
                        onChange={(value) => setValue(spec, value)}
                      />
                    ))}
                </div>
              ) : null}
            </fieldset>
          ) : null}

          <VideoEstimate vendor={draft.vendor} model={draft.model} values={draft.values} />
          <ul className="video-notes">
            <li>{t(`notes.${vendorSpec.vendor}`)}</li>
          </ul>
        </div>
        <footer className="video-create-foot">
          <p className="field-error video-create-error" role="alert">
            {formError ??
              (problemList.length > 0 ? t('create.checkFields', { count: problemList.length }) : '')}
          </p>
          <button type="button" className="button" onClick={onClose}>
            {t('actions.cancel', { ns: 'common' })}
          </button>
          <button type="submit" className="button button-primary">
            {t('create.create')}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
