import { useTranslation } from 'react-i18next';
import { call } from '../hub';
import { ToggleSection } from './ToggleSection';

const read = () => call('spellcheck.get', {});
const write = (enabled: boolean) => call('spellcheck.set', { enabled });

/** Spellcheck in text fields; on Linux it is off until chosen here, since Chromium fetches dictionaries from Google. */
export function SpellcheckSection() {
  const { t } = useTranslation('settings');
  return (
    <ToggleSection
      title={t('spellcheck.title')}
      label={t('spellcheck.label')}
      description={t('spellcheck.description')}
      read={read}
      write={write}
      event="spellcheck.changed"
    />
  );
}
