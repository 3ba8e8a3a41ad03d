import type { ModelsState } from '../../../shared/chat-channels';
import { modelLabel } from '../../../shared/model-names';
import { customModelSchema, findModel, type ModelFamily, type ModelInfo } from '../../../shared/models';
import { filterModels } from './model-filter';

const familyLabels: Record<ModelFamily, string> = {
  openai: 'OpenAI',
  claude: 'Claude',
  gemini: 'Gemini',
  deepseek: 'DeepSeek',
};

export interface Entry {
  /** Unique in the list (a recent model shows twice). */
  key: string;
  id: string;
  /** A typed id that is in no list. */
  typed: boolean;
}

export interface Group {
  key: string;
  label: string;
  entries: Entry[];
}

/** The list as shown: recently used (no search), then each family and the user's own models, best match first. */
export function groupsFor(
  models: ModelsState | null,
  currentId: string,
  query: string,
  yourModels: string,
  recentLabel: string,
  typedLabel: string,
): Group[] {
  const all: ModelInfo[] = [...(models?.models ?? [])];
  if (!all.some((model) => model.id === currentId)) all.push(findModel(currentId, models?.custom ?? []));
  const groupOf = (model: ModelInfo) => (model.custom ? 'custom' : model.family);
  const groupLabel = (key: string) => (key === 'custom' ? yourModels : familyLabels[key as ModelFamily]);
  const matched = filterModels(
    all.map((model) => ({
      id: model.id,
      label: modelLabel(model.id),
      family: groupLabel(groupOf(model)),
      model,
    })),
    query,
  );
  const order = query.trim()
    ? [...new Set(matched.map((item) => groupOf(item.model)))]
    : [...(Object.keys(familyLabels) as string[]), 'custom'];
  const groups: Group[] = order
    .map((key) => ({
      key,
      label: groupLabel(key),
      entries: matched
        .filter((item) => groupOf(item.model) === key)
        .map((item) => ({ key: `${key}:${item.id}`, id: item.id, typed: false })),
    }))
    .filter((group) => group.entries.length > 0);
  if (!query.trim()) {
    const known = new Set(all.map((model) => model.id));
    const recent = (models?.recent ?? []).filter((id) => known.has(id));
    if (recent.length > 0) {
      groups.unshift({
        key: 'recent',
        label: recentLabel,
        entries: recent.map((id) => ({ key: `recent:${id}`, id, typed: false })),
      });
    }
  }
  // A typed id is offered when it looks like one ("my-lab-model-7"), or when nothing else matches.
  const typed = query.trim();
  if (
    typed &&
    (/[-./:@_\d]/.test(typed) || matched.length === 0) &&
    !all.some((model) => model.id === typed) &&
    customModelSchema.shape.id.safeParse(typed).success
  ) {
    groups.push({
      key: 'typed',
      label: typedLabel,
      entries: [{ key: `typed:${typed}`, id: typed, typed: true }],
    });
  }
  return groups;
}
