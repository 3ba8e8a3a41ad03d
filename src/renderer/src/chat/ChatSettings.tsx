import i18next from 'i18next';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/chat';
import {
  type ChatParams,
  CLAUDE_DEFAULT_MAX_TOKENS,
  effectiveParams,
  type ParamSpec,
  paramSpecs,
} from '../../../shared/chat-params';
import type { ModelsState, RequestOf } from '../../../shared/contract';
import type { AppError } from '../../../shared/errors';
import {
  type ChatApi,
  chatApiLabels,
  chatApis,
  findModel,
  type ModelFamily,
  type ModelInfo,
} from '../../../shared/models';
import { call, toAppError } from '../hub';
import { currentLanguage } from '../i18n';
import { ErrorNote } from '../ui/errors';

type Props = {
  conversation: Conversation;
  models: ModelsState | null;
  onConversation: (conversation: Conversation) => void;
  onModels: (models: ModelsState) => void;
  onClose: () => void;
};

const ADD_MODEL = '\u0000add';
const familyLabels: Record<ModelFamily, string> = {
  openai: 'OpenAI',
  claude: 'Claude',
  deepseek: 'DeepSeek',
  gemini: 'Gemini',
};
const reasoningKinds: ModelInfo['reasoning'][] = ['none', 'effort', 'budget', 'always'];
const MAX_ITEM_LENGTH = 200;
/** The example in the model id field: a real, dated id. */
const EXAMPLE_MODEL_ID = 'gpt-4.1-2025-04-14';

/** What a parameter is called in the UI language. */
export function paramLabel(spec: ParamSpec): string {
  return i18next.t(`chat:params.${spec.key}.label`);
}

/** The help line under a parameter, with the range and request field of this model and API. */
export function paramHelp(spec: ParamSpec, api: ChatApi): string {
  switch (spec.key) {
    case 'temperature':
      return i18next.t('chat:params.temperature.help', { max: spec.max });
    case 'maxTokens':
      return i18next.t('chat:params.maxTokens.help', { field: spec.field ?? '' });
    case 'thinkingBudget':
      return api === 'claude-messages'
        ? i18next.t('chat:params.thinkingBudget.helpClaude')
        : i18next.t('chat:params.thinkingBudget.helpGemini');
    case 'stop':
      return i18next.t('chat:params.stop.help', { max: spec.maxItems });
    default:
      return i18next.t(`chat:params.${spec.key}.help`);
  }
}

/** Why the parameters together would be refused (effectiveParams), said in the UI language. */
function combinedError(params: ChatParams, model: ModelInfo, api: ChatApi): string | null {
  const result = effectiveParams(params, model, api);
  if (!result.error) return null;
  for (const spec of paramSpecs(model, api)) {
    const value = params[spec.key];
    if (
      typeof value === 'number' &&
      ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))
    ) {
      return i18next.t('chat:params.errors.labelRange', {
        label: paramLabel(spec),
        min: spec.min,
        max: spec.max,
      });
    }
    if (Array.isArray(value) && spec.maxItems !== undefined && value.length > spec.maxItems) {
      return i18next.t('chat:params.errors.labelAtMost', { label: paramLabel(spec), max: spec.maxItems });
    }
  }
  if (api === 'claude-messages' && params.thinkingBudget !== undefined) {
    return i18next.t('chat:params.errors.thinkingBelowMax', {
      max: params.maxTokens ?? CLAUDE_DEFAULT_MAX_TOKENS,
    });
  }
  return result.error;
}

/** The text a parameter's input shows for a stored value. */
export function paramText(_spec: ParamSpec, value: ChatParams[keyof ChatParams]): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join('\n');
  return String(value);
}

/** Reads one parameter's input: undefined for empty (provider default), or why the text is not valid. */
export function parseParam(
  spec: ParamSpec,
  text: string,
): { ok: true; value: ChatParams[keyof ChatParams] } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (spec.kind === 'list') {
    const items = text
      .split('\n')
      .map((item) => item.replace(/\r$/, ''))
      .filter((item) => item.length > 0);
    if (items.length === 0) return { ok: true, value: undefined };
    if (spec.maxItems !== undefined && items.length > spec.maxItems) {
      return { ok: false, error: i18next.t('chat:params.errors.atMostLines', { max: spec.maxItems }) };
    }
    if (items.some((item) => item.length > MAX_ITEM_LENGTH)) {
      return { ok: false, error: i18next.t('chat:params.errors.itemTooLong', { max: MAX_ITEM_LENGTH }) };
    }
    return { ok: true, value: items };
  }
  if (trimmed === '') return { ok: true, value: undefined };
  if (spec.kind === 'enum') {
    return spec.options?.includes(trimmed)
      ? { ok: true, value: trimmed as ChatParams['reasoningEffort'] }
      : {
          ok: false,
          error: i18next.t('chat:params.errors.chooseOne', { options: spec.options?.join(', ') }),
        };
  }
  const number = Number(trimmed.replace('−', '-'));
  const range = { min: spec.min, max: spec.max };
  if (!Number.isFinite(number)) return { ok: false, error: i18next.t('chat:params.errors.number', range) };
  if (spec.kind === 'integer' && !Number.isInteger(number)) {
    return { ok: false, error: i18next.t('chat:params.errors.wholeNumber', range) };
  }
  if ((spec.min !== undefined && number < spec.min) || (spec.max !== undefined && number > spec.max)) {
    return { ok: false, error: i18next.t('chat:params.errors.range', range) };
  }
  return { ok: true, value: number };
}

function ModelPicker({
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
        {known ? null : <option value={conversation.model}>{conversation.model}</option>}
        {families.map(({ family, items }) =>
          items.length > 0 ? (
            <optgroup key={family} label={familyLabels[family]}>
              {items.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.id}
                </option>
              ))}
            </optgroup>
          ) : null,
        )}
        {custom.length > 0 ? (
          <optgroup label={t('settings.yourModels')}>
            {custom.map((item) => (
              <option key={item.id} value={item.id}>
                {item.id}
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

function AddModelForm({
  onAdded,
  onCancel,
}: {
  onAdded: (state: ModelsState, id: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation('chat');
  const [modelId, setModelId] = useState('');
  const [api, setApi] = useState<ChatApi>('openai-chat');
  const [vision, setVision] = useState(false);
  const [reasoning, setReasoning] = useState<ModelInfo['reasoning']>('none');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { id: useId(), api: useId(), reasoning: useId(), vision: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const state = await call('models.addCustom', { id: modelId.trim(), api, vision, reasoning });
      onAdded(state, modelId.trim());
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="add-model" onSubmit={submit}>
      <p className="label">{t('settings.add.title')}</p>
      <div className="field">
        <label htmlFor={ids.id} className="field-label">
          {t('settings.add.id')}
        </label>
        <input
          id={ids.id}
          value={modelId}
          onChange={(event) => setModelId(event.target.value)}
          placeholder={t('settings.add.idPlaceholder', { example: EXAMPLE_MODEL_ID })}
          spellCheck={false}
          // biome-ignore lint/a11y/noAutofocus: the form opens because the user asked to add a model
          autoFocus
        />
      </div>
      <div className="field">
        <label htmlFor={ids.api} className="field-label">
          {t('settings.add.api')}
        </label>
        <select id={ids.api} value={api} onChange={(event) => setApi(event.target.value as ChatApi)}>
          {chatApis.map((item) => (
            <option key={item} value={item}>
              {chatApiLabels[item]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.reasoning} className="field-label">
          {t('settings.add.reasoning')}
        </label>
        <select
          id={ids.reasoning}
          value={reasoning}
          onChange={(event) => setReasoning(event.target.value as ModelInfo['reasoning'])}
        >
          {reasoningKinds.map((item) => (
            <option key={item} value={item}>
              {t(`settings.reasoning.${item}`)}
            </option>
          ))}
        </select>
      </div>
      <label className="check" htmlFor={ids.vision}>
        <input
          id={ids.vision}
          type="checkbox"
          checked={vision}
          onChange={(event) => setVision(event.target.checked)}
        />
        {t('settings.add.vision')}
      </label>
      {error ? <ErrorNote error={error} /> : null}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy || !modelId.trim()}>
          {t('settings.add.submit')}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          {t('settings.add.cancel')}
        </button>
      </div>
    </form>
  );
}

function ParamField({
  spec,
  api,
  text,
  error,
  onText,
}: {
  spec: ParamSpec;
  api: ChatApi;
  text: string;
  error: string | null;
  onText: (text: string) => void;
}) {
  const { t } = useTranslation('chat');
  const id = useId();
  const errorId = useId();
  const helpId = useId();
  const describedBy = [helpId, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className="field param-field">
      <label htmlFor={id} className="field-label">
        {paramLabel(spec)}
      </label>
      {spec.kind === 'enum' ? (
        <select
          id={id}
          value={text}
          onChange={(event) => onText(event.target.value)}
          aria-describedby={describedBy}
        >
          <option value="">{t('params.providerDefault')}</option>
          {spec.options?.map((option) => (
            <option key={option} value={option}>
              {optionLabel(option)}
            </option>
          ))}
        </select>
      ) : spec.kind === 'list' ? (
        <textarea
          id={id}
          className="param-list"
          value={text}
          rows={2}
          placeholder={t('params.onePerLine')}
          onChange={(event) => onText(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
      ) : (
        <input
          id={id}
          type="number"
          inputMode={spec.kind === 'integer' ? 'numeric' : 'decimal'}
          min={spec.min}
          max={spec.max}
          step={spec.step}
          value={text}
          placeholder={t('params.default')}
          onChange={(event) => onText(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
        />
      )}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
      <p id={helpId} className="hint">
        {paramHelp(spec, api)}
      </p>
    </div>
  );
}

const SAVE_DELAY_MS = 500;

/** What the last save changed, for the "… saved" note. */
type SavedNote = 'params' | 'model' | 'api' | 'systemPrompt';

/** An enum option as shown: reasoning levels in the UI language, API values (text, json_object) as they are. */
function optionLabel(option: string): string {
  return option === 'low' || option === 'medium' || option === 'high'
    ? i18next.t(`chat:params.options.${option}`)
    : option;
}

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
  const ids = { api: useId(), prompt: useId() };

  // Another conversation: start from its stored values.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the conversation's identity resets the form
  useEffect(() => {
    setPrompt(conversation.systemPrompt);
    setTexts({});
    setAdding(false);
    setError(null);
  }, [conversation.id]);

  useEffect(
    () => () => {
      for (const timer of timers.current.values()) clearTimeout(timer);
    },
    [],
  );

  const save = async (patch: RequestOf<'conversations.update'>['patch'], what: SavedNote) => {
    setError(null);
    try {
      const updated = await call('conversations.update', { id: latest.current.id, patch });
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
  const combined = fieldErrors.size === 0 ? combinedError(edited, model, api) : null;

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
    if (effectiveParams(next, model, api).error) return;
    later('params', () => void save({ params: next }, 'params'));
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
        <ModelPicker
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
          <p className="hint">{t('settings.parametersHint', { model: model.id, api: chatApiLabels[api] })}</p>
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

        <p className="saved-note" aria-live="polite">
          {saved ? t(`settings.saved.${saved}`) : ''}
        </p>
        {error ? <ErrorNote error={error} /> : null}
      </div>
    </aside>
  );
}
