import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/chat';
import type { ModelsState } from '../../../shared/chat-channels';
import { modelLabel } from '../../../shared/model-names';
import type { ModelFamily, ModelInfo } from '../../../shared/models';
import { currentLanguage } from '../i18n';

const ADD_MODEL = '\u0000add';
const familyLabels: Record<ModelFamily, string> = {
  openai: 'OpenAI',
  claude: 'Claude',
  deepseek: 'DeepSeek',
  gemini: 'Gemini',
};

/**
 * Chat settings' model field: the list by family, the user's own models, and "Add a model…"; a hint line on what the
 * model can do. (The header's searchable picker is ModelPicker.)
 */
export function ModelField({
  conversation,
  models,
  model,
  onPick,
  onAdd,
}: {
  conversation: Conversation;
  models: ModelsState | null;
  model: ModelInfo;
  onPick: (model: ModelInfo) => void;
  onAdd: () => void;
}) {
  const { t } = useTranslation('chat');
  const id = useId();
  const all = models?.models ?? [];
  const families = (Object.keys(familyLabels) as ModelFamily[]).map((family) => ({
    family,
    items: all.filter((item) => !item.custom && item.family === family),
  }));
  const custom = all.filter((item) => item.custom);
  const known = all.some((item) => item.id === conversation.model);
  return (
    <div className="field">
      <label htmlFor={id} className="label">
        {t('settings.model')}
      </label>
      <select
        id={id}
        value={conversation.model}
        onChange={(event) => {
          if (event.target.value === ADD_MODEL) {
            onAdd();
            return;
          }
          const picked = all.find((item) => item.id === event.target.value);
          if (picked) onPick(picked);
        }}
      >
        {known ? null : <option value={conversation.model}>{modelLabel(conversation.model)}</option>}
        {families.map(({ family, items }) =>
          items.length > 0 ? (
            <optgroup key={family} label={familyLabels[family]}>
              {items.map((item) => (
                <option key={item.id} value={item.id}>
                  {modelLabel(item.id)}
                </option>
              ))}
            </optgroup>
          ) : null,
        )}
        {custom.length > 0 ? (
          <optgroup label={t('settings.yourModels')}>
            {custom.map((item) => (
              <option key={item.id} value={item.id}>
                {modelLabel(item.id)}
              </option>
            ))}
          </optgroup>
        ) : null}
        <option value={ADD_MODEL}>{t('settings.addModelOption')}</option>
      </select>
      <p className="hint">
        {[
          model.contextWindow
            ? t('settings.contextWindow', { tokens: model.contextWindow.toLocaleString(currentLanguage()) })
            : null,
          model.vision ? t('settings.readsImagesHint') : t('settings.textOnlyHint'),
          model.reasoning === 'none' ? null : t(`settings.reasoningHint.${model.reasoning}`),
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
    </div>
  );
}
