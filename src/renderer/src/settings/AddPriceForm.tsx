import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Price, type PriceKey, type PriceKind, videoResolutionParam } from '../../../shared/costs';
import { type VideoVendor, videoVendorLabels, videoVendors } from '../../../shared/videos/job';
import { videoVendorSpecs } from '../../../shared/videos/vendor-specs';
import { type Drafts, type Problems, priceFrom, rateFields } from './price-input';

/** A price for a row the table does not list: a video resolution of its own, or a model HubDesk does not know. */
export function AddPrice({ kind, onSave }: { kind: PriceKind; onSave: (price: Price) => Promise<boolean> }) {
  const { t } = useTranslation('settings');
  const [vendor, setVendor] = useState<VideoVendor>('sora');
  const [model, setModel] = useState('');
  const [resolution, setResolution] = useState('');
  const [drafts, setDrafts] = useState<Drafts>({});
  const [problems, setProblems] = useState<Problems>({});
  const [modelProblem, setModelProblem] = useState(false);
  const [added, setAdded] = useState(false);
  const baseId = useId();
  const spec = videoVendorSpecs.find((item) => item.vendor === vendor);
  const videoModel = spec?.models.find((item) => item.id === model) ?? spec?.models[0];
  const resolutionOption = videoModel?.options.find((option) => option.key === videoResolutionParam(vendor));
  const resolutions = resolutionOption?.type === 'enum' ? resolutionOption.values : [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAdded(false);
    const chosenModel = kind === 'video' ? (videoModel?.id ?? '') : model.trim();
    const badModel = !/^[\w.:/@-]{1,200}$/.test(chosenModel);
    setModelProblem(badModel);
    const key: PriceKey =
      kind === 'video' ? { kind, vendor, model: chosenModel, resolution } : { kind, model: chosenModel };
    const result = priceFrom(key, drafts);
    setProblems('problems' in result ? result.problems : {});
    if (badModel || 'problems' in result) return;
    if (await onSave(result.price)) {
      setDrafts({});
      setAdded(true);
    }
  };

  return (
    <form className="prices-add" onSubmit={submit} noValidate aria-labelledby={`${baseId}-title`}>
      <h3 id={`${baseId}-title`}>{t(`prices.add.title.${kind}`)}</h3>
      <div className="prices-add-fields">
        {kind === 'video' ? (
          <>
            <label className="field">
              <span className="label">{t('prices.add.vendor')}</span>
              <select
                value={vendor}
                onChange={(event) => {
                  setVendor(event.target.value as VideoVendor);
                  setModel('');
                  setResolution('');
                }}
              >
                {videoVendors.map((item) => (
                  <option key={item} value={item}>
                    {videoVendorLabels[item]}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="label">{t('prices.add.model')}</span>
              <select value={videoModel?.id ?? ''} onChange={(event) => setModel(event.target.value)}>
                {(spec?.models ?? []).map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.id}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="label">{t('prices.add.resolution')}</span>
              <select value={resolution} onChange={(event) => setResolution(event.target.value)}>
                <option value="">{t('prices.anyResolution')}</option>
                {resolutions.map((value) => (
                  <option key={value} value={value}>
                    {value}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : (
          <label className="field">
            <span className="label">{t('prices.add.model')}</span>
            <input
              value={model}
              onChange={(event) => setModel(event.target.value)}
              spellCheck={false}
              aria-invalid={modelProblem || undefined}
              aria-describedby={modelProblem ? `${baseId}-model-error` : undefined}
            />
            {modelProblem ? (
              <p id={`${baseId}-model-error`} className="field-error">
                {t('prices.problems.model')}
              </p>
            ) : null}
          </label>
        )}
        {rateFields[kind].map((field) => (
          <label key={field} className="field">
            <span className="label">{t(`prices.fields.${field}`)}</span>
            <input
              inputMode="decimal"
              value={drafts[field] ?? ''}
              placeholder={field === 'cached' ? t('prices.sameAsInput') : '0.00'}
              aria-invalid={problems[field] ? true : undefined}
              onChange={(event) => setDrafts((current) => ({ ...current, [field]: event.target.value }))}
            />
            {problems[field] ? (
              <p className="field-error">
                {t(`prices.problems.${problems[field]}`, { field: t(`prices.fields.${field}`) })}
              </p>
            ) : null}
          </label>
        ))}
      </div>
      <div className="button-row">
        <button type="submit" className="button">
          {t('prices.add.submit')}
        </button>
        <span className="saved-note" aria-live="polite">
          {added ? t('prices.add.done') : ''}
        </span>
      </div>
    </form>
  );
}
