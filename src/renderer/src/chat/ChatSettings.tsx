import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/chat';
import type { ModelsState } from '../../../shared/chat-channels';
import { type ChatParams, effectiveParams, type ParamSpec, paramSpecs } from '../../../shared/chat-params';
import type { AppError } from '../../../shared/errors';
import { modelLabel } from '../../../shared/model-names';
import { type ChatApi, chatApiLabels, findModel, type ModelInfo } from '../../../shared/models';
import { call, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';
import { AddModelForm } from './AddModelForm';
import {
  type ConversationPatch,
  ConversationSaves,
  KNOWLEDGE_SETTING_KEYS,
  TOOL_SETTING_KEYS,
  withGenerationParams,
  withParamKeys,
} from './conversation-saves';
import { KnowledgePicker } from './KnowledgePicker';
import { ModelField } from './ModelField';
import { ParamField } from './ParamField';
import { paramProblemText, paramText, parseParam } from './params';
import { ToolsPicker } from './ToolsPicker';

type Props = {
  conversation: Conversation;
  models: ModelsState | null;
  onConversation: (conversation: Conversation) => void;
  onModels: (models: ModelsState) => void;
  onClose: () => void;
};

const SAVE_DELAY_MS = 500;

/** What the last save changed, for the "… saved" note. */
type SavedNote = 'params' | 'model' | 'api' | 'systemPrompt' | 'tools' | 'knowledge';

/** Per-conversation settings: model, API, system prompt and the parameters the model's family supports. */
export function ChatSettings({ conversation, models, onConversation, onModels, onClose }: Props) {
  const { t } = useTranslation('chat');
  const model = findModel(conversation.model, models?.custom ?? []);
  const api: ChatApi = model.apis.includes(conversation.api) ? conversation.api : model.defaultApi;
  const specs = paramSpecs(model, api);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState<SavedNote | null>(null);
  const [prompt, setPrompt] = useState(conversation.systemPrompt);
  const [texts, setTexts] = useState<Partial<Record<keyof ChatParams, string>>>({});
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const latest = useRef(conversation);
  latest.current = conversation;
  const saves = useRef<ConversationSaves | null>(null);
  saves.current ??= new ConversationSaves(conversation, (id, patch) =>
    call('conversations.update', { id, patch }),
  );
  saves.current.show(conversation);
  const ids = { api: useId(), prompt: useId() };

  // Another conversation: start from its stored values.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the conversation's identity resets the form
  useEffect(() => {
    setPrompt(conversation.systemPrompt);
    setTexts({});
    setAdding(false);
    setError(null);
  }, [conversation.id]);

  // Changed elsewhere (another window, the CLI): the stored prompt shows unless a typed one waits to be saved.
  useEffect(() => {
    if (!timers.current.has('prompt')) setPrompt(conversation.systemPrompt);
  }, [conversation.systemPrompt]);

  useEffect(
    () => () => {
      for (const timer of timers.current.values()) clearTimeout(timer);
    },
    [],
  );

  /** `patch` is a patch, or built from the conversation as the save before it left it (see conversation-saves). */
  const save = async (
    patch: ConversationPatch | ((current: Conversation) => ConversationPatch),
    what: SavedNote,
  ) => {
    setError(null);
    try {
      const updated = await (saves.current as ConversationSaves).save(
        typeof patch === 'function' ? patch : () => patch,
      );
      onConversation(updated);
      setSaved(what);
    } catch (cause) {
      setError(toAppError(cause));
    }
  };

  const later = (key: string, action: () => void) => {
    const existing = timers.current.get(key);
    if (existing) clearTimeout(existing);
    timers.current.set(
      key,
      setTimeout(() => {
        timers.current.delete(key);
        action();
      }, SAVE_DELAY_MS),
    );
  };

  const textFor = (spec: ParamSpec) => texts[spec.key] ?? paramText(spec, conversation.params[spec.key]);
  const fieldErrors = new Map<string, string>();
  const edited: ChatParams = { ...conversation.params };
  for (const spec of specs) {
    const parsed = parseParam(spec, textFor(spec));
    if (!parsed.ok) fieldErrors.set(spec.key, parsed.error);
    else if (parsed.value === undefined) delete edited[spec.key];
    else (edited as Record<string, unknown>)[spec.key] = parsed.value;
  }
  const problem = fieldErrors.size === 0 ? effectiveParams(edited, model, api).problem : null;
  const combined = problem ? paramProblemText(problem) : null;

  const onParamText = (spec: ParamSpec, text: string) => {
    const nextTexts = { ...texts, [spec.key]: text };
    setTexts(nextTexts);
    setSaved(null);
    const next: ChatParams = { ...latest.current.params };
    for (const item of specs) {
      const parsed = parseParam(
        item,
        nextTexts[item.key] ?? paramText(item, latest.current.params[item.key]),
      );
      if (!parsed.ok) return;
      if (parsed.value === undefined) delete next[item.key];
      else (next as Record<string, unknown>)[item.key] = parsed.value;
    }
    if (effectiveParams(next, model, api).problem) return;
    later(
      'params',
      () => void save((current) => ({ params: withGenerationParams(current.params, next) }), 'params'),
    );
  };

  const pickModel = (picked: ModelInfo) => {
    // A new model starts on its own API (Claude on Claude Messages); the API picker can change it after.
    const nextApi = picked.defaultApi;
    setTexts({});
    void save({ model: picked.id, api: nextApi }, 'model');
  };

  const removeCustom = async () => {
    try {
      onModels(await call('models.removeCustom', { id: model.id }));
    } catch (cause) {
      setError(toAppError(cause));
    }
  };

  return (
    <aside className="chat-settings" aria-label={t('settings.title')}>
      <header className="chat-settings-header">
        <h2>{t('settings.title')}</h2>
        <button type="button" className="icon-button" aria-label={t('settings.close')} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="chat-settings-body">
        <ModelField
          conversation={conversation}
          models={models}
          model={model}
          onPick={pickModel}
          onAdd={() => setAdding(true)}
        />
        {model.custom && !adding ? (
          <button type="button" className="text-button align-start" onClick={() => void removeCustom()}>
            {t('settings.removeCustom', { model: model.id })}
          </button>
        ) : null}
        {adding ? (
          <AddModelForm
            onCancel={() => setAdding(false)}
            onAdded={(state, id) => {
              onModels(state);
              setAdding(false);
              const added = state.models.find((item) => item.id === id);
              if (added) pickModel(added);
            }}
          />
        ) : null}

        {model.apis.length > 1 ? (
          <div className="field">
            <label htmlFor={ids.api} className="label">
              {t('settings.api')}
            </label>
            <select
              id={ids.api}
              value={api}
              onChange={(event) => {
                setTexts({});
                void save({ api: event.target.value as ChatApi }, 'api');
              }}
            >
              {model.apis.map((item) => (
                <option key={item} value={item}>
                  {chatApiLabels[item]}
                </option>
              ))}
            </select>
          </div>
        ) : null}

        <div className="field">
          <label htmlFor={ids.prompt} className="label">
            {t('settings.systemPrompt')}
          </label>
          <textarea
            id={ids.prompt}
            className="system-prompt"
            value={prompt}
            rows={5}
            placeholder={t('settings.systemPromptPlaceholder')}
            onChange={(event) => {
              const value = event.target.value;
              setPrompt(value);
              setSaved(null);
              later('prompt', () => void save({ systemPrompt: value }, 'systemPrompt'));
            }}
            onBlur={() => {
              const pending = timers.current.get('prompt');
              if (pending) {
                clearTimeout(pending);
                timers.current.delete('prompt');
                void save({ systemPrompt: prompt }, 'systemPrompt');
              }
            }}
          />
        </div>

        <fieldset className="params">
          <legend className="label">{t('settings.parameters')}</legend>
          <p className="hint">
            {t('settings.parametersHint', { model: modelLabel(model.id), api: chatApiLabels[api] })}
          </p>
          {specs.length === 0 ? <p className="muted">{t('settings.noParameters')}</p> : null}
          {specs.map((spec) => (
            <ParamField
              key={`${api}-${spec.key}`}
              spec={spec}
              api={api}
              text={textFor(spec)}
              error={fieldErrors.get(spec.key) ?? null}
              onText={(text) => onParamText(spec, text)}
            />
          ))}
          {combined ? <p className="field-error">{combined}</p> : null}
        </fieldset>

        <ToolsPicker
          conversation={conversation}
          onSave={(params) =>
            void save(
              (current) => ({ params: withParamKeys(current.params, params, TOOL_SETTING_KEYS) }),
              'tools',
            )
          }
        />

        <KnowledgePicker
          conversation={conversation}
          onSave={(knowledgeBases) =>
            void save(
              (current) => ({
                params: withParamKeys(current.params, { knowledgeBases }, KNOWLEDGE_SETTING_KEYS),
              }),
              'knowledge',
            )
          }
        />

        <p className="saved-note" aria-live="polite">
          {saved ? t(`settings.saved.${saved}`) : ''}
        </p>
        {error ? <ErrorNote error={error} /> : null}
      </div>
    </aside>
  );
}
