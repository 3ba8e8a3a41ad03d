import './appearance-section.css';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Appearance,
  sendKeyAccelerators,
  sendKeySchema,
  textSizes,
  themeSchema,
} from '../../../shared/appearance';
import type { AppError } from '../../../shared/errors';
import { keysText, setAppearance, useAppearance } from '../appearance';
import { toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';

function Choices<V extends string>({
  legend,
  name,
  values,
  value,
  label,
  onChoose,
}: {
  legend: string;
  name: string;
  values: readonly V[];
  value: V;
  label: (value: V) => string;
  onChoose: (value: V) => void;
}) {
  return (
    <fieldset className="appearance-choices">
      <legend className="label">{legend}</legend>
      {values.map((option) => (
        <label key={option} className="appearance-choice">
          <input
            type="radio"
            name={name}
            value={option}
            checked={value === option}
            onChange={() => onChoose(option)}
          />
          {label(option)}
        </label>
      ))}
    </fieldset>
  );
}

/** Theme, text size and the key that sends a chat message; each applies to the whole window at once. */
export function AppearanceSection() {
  const { t } = useTranslation('settings');
  const appearance = useAppearance();
  const [error, setError] = useState<AppError | null>(null);
  const ids = { title: useId(), hint: useId(), name: useId() };

  const choose = async (changes: Partial<Appearance>) => {
    setError(null);
    try {
      await setAppearance(changes);
    } catch (cause) {
      setError(toAppError(cause));
    }
  };

  const send = {
    enter: keysText(sendKeyAccelerators('enter').send),
    modEnter: keysText(sendKeyAccelerators('mod-enter').send),
  };
  return (
    <section className="card" aria-labelledby={ids.title} aria-describedby={ids.hint}>
      <div className="card-header">
        <h2 id={ids.title}>{t('appearance.title')}</h2>
        <p className="muted" id={ids.hint}>
          {t('appearance.description')}
        </p>
      </div>
      <div className="appearance-fields">
        <Choices
          legend={t('appearance.theme.label')}
          name={`${ids.name}-theme`}
          values={themeSchema.options}
          value={appearance.theme}
          label={(theme) => t(`appearance.theme.${theme}`)}
          onChoose={(theme) => void choose({ theme })}
        />
        <Choices
          legend={t('appearance.textSize.label')}
          name={`${ids.name}-size`}
          values={textSizes}
          value={appearance.textSize}
          label={(size) => t(`appearance.textSize.${size}`)}
          onChoose={(textSize) => void choose({ textSize })}
        />
        <Choices
          legend={t('appearance.sendKey.label')}
          name={`${ids.name}-send`}
          values={sendKeySchema.options}
          value={appearance.sendKey}
          label={(sendKey) =>
            sendKey === 'enter'
              ? t('appearance.sendKey.enter', { keys: send.enter })
              : t('appearance.sendKey.modEnter', { keys: send.modEnter })
          }
          onChoose={(sendKey) => void choose({ sendKey })}
        />
      </div>
      {error ? <ErrorNote error={error} /> : null}
    </section>
  );
}
