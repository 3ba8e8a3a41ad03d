import { useTranslation } from 'react-i18next';
import { call } from '../hub';
import { ToggleSection } from './ToggleSection';

const read = () => call('titles.get', {});
const write = (enabled: boolean) => call('titles.set', { enabled });

/** Settings → Chat: whether the model names new conversations (a request of its own, counted in Usage). */
export function ModelTitlesSection() {
  const { t } = useTranslation('settings');
  return (
    <ToggleSection
      title={t('chatTitles.title')}
      label={t('chatTitles.label')}
      description={t('chatTitles.description')}
      read={read}
      write={write}
      event="titles.changed"
    />
  );
}
