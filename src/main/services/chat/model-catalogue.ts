import { z } from 'zod';
import type { Conversation } from '../../../shared/chat';
import type { ModelsState } from '../../../shared/chat-channels';
import { type ChatParams, effectiveParams, type ParamProblem } from '../../../shared/chat-params';
import type { ErrorReason } from '../../../shared/error-reasons';
import {
  type ChatApi,
  type CustomModel,
  customModelInfo,
  customModelSchema,
  findModel,
  type ModelInfo,
  modelCatalogue,
} from '../../../shared/models';
import { HubError } from '../../base/errors';
import type { SettingsRepo } from '../../store/settings-repo';

const CUSTOM_MODELS_KEY = 'models.custom';
const RECENT_MODELS_KEY = 'models.recent';
const RECENT_LIMIT = 4;

/** The models a conversation may use: the built-in catalogue and the user's own ids, kept in settings. */
export class ModelCatalogue {
  constructor(private readonly settingsRepo: SettingsRepo) {}

  custom(): CustomModel[] {
    return this.settingsRepo.get(CUSTOM_MODELS_KEY, z.array(customModelSchema)) ?? [];
  }

  state(): ModelsState {
    const custom = this.custom();
    return { models: [...modelCatalogue, ...custom.map(customModelInfo)], custom, recent: this.recent() };
  }

  /** The models picked last, newest first. */
  recent(): string[] {
    return this.settingsRepo.get(RECENT_MODELS_KEY, z.array(z.string())) ?? [];
  }

  /** A model picked for a chat goes first among the recent ones. */
  picked(id: string): ModelsState {
    const recent = [id, ...this.recent().filter((item) => item !== id)].slice(0, RECENT_LIMIT);
    this.settingsRepo.set(RECENT_MODELS_KEY, recent);
    return this.state();
  }

  add(model: CustomModel): ModelsState {
    const rest = this.custom().filter((existing) => existing.id !== model.id);
    this.settingsRepo.set(CUSTOM_MODELS_KEY, [...rest, model]);
    return this.state();
  }

  remove(id: string): ModelsState {
    this.settingsRepo.set(
      CUSTOM_MODELS_KEY,
      this.custom().filter((model) => model.id !== id),
    );
    return this.state();
  }

  info(id: string): ModelInfo {
    return findModel(id, this.custom());
  }
}

/** The API a conversation uses: the model's default, or the one asked for if the model is served through it. */
export function checkedApi(model: ModelInfo, api: ChatApi | undefined): ChatApi {
  if (api === undefined) return model.defaultApi;
  if (!model.apis.includes(api)) {
    throw new HubError({
      kind: 'invalid_input',
      message: `${model.id} is not served through that API; choose one of: ${model.apis.join(', ')}.`,
      field: 'api',
      reason: { code: 'chatApiNotServed', values: { model: model.id, apis: model.apis.join(', ') } },
    });
  }
  return api;
}

export function checkedParams(conversation: Conversation, model: ModelInfo): ChatParams {
  const { params, problem, error } = effectiveParams(conversation.params, model, conversation.api);
  if (problem && error) {
    throw new HubError({
      kind: 'invalid_input',
      message: error,
      field: 'params',
      reason: paramReason(problem),
    });
  }
  return params;
}

function paramReason(problem: ParamProblem): ErrorReason {
  switch (problem.code) {
    case 'range':
      return {
        code: 'chatParamRange',
        values: { param: problem.key, min: problem.min ?? '', max: problem.max ?? '' },
      };
    case 'tooMany':
      return { code: 'chatParamTooMany', values: { param: problem.key, max: problem.max } };
    case 'thinkingNotBelowMax':
      return { code: 'chatThinkingBudget', values: { maxTokens: problem.maxTokens } };
  }
}
