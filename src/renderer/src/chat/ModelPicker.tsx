import './model-picker.css';
import { type KeyboardEvent, type RefObject, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/chat';
import type { ModelsState } from '../../../shared/chat-channels';
import type { AppError } from '../../../shared/errors';
import { modelLabel, modelName } from '../../../shared/model-names';
import { findModel } from '../../../shared/models';
import type { Profile } from '../../../shared/profiles';
import { call, toAppError } from '../hub';
import { groupsFor } from './model-groups';

type Props = {
  conversation: Conversation;
  models: ModelsState | null;
  profile: Profile | null;
  onConversation: (conversation: Conversation) => void;
  onError: (error: AppError) => void;
};

/**
 * The header's model chip: the readable name of the chat's model, opening a searchable list by family (recently used
 * first), the current one checked; a typed id can be used as is; the chat's model can become the profile's default.
 */
export function ModelPicker({ conversation, models, profile, onConversation, onError }: Props) {
  const { t } = useTranslation('chat');
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const chip = useRef<HTMLButtonElement>(null);
  const label = modelLabel(conversation.model);
  const { name, variant } = modelName(conversation.model);

  const show = (initial: string) => {
    setQuery(initial);
    setOpen(true);
  };
  const close = (focusChip: boolean) => {
    setOpen(false);
    if (focusChip) chip.current?.focus();
  };

  const pick = async (id: string) => {
    close(true);
    if (id === conversation.model) return;
    try {
      const api = findModel(id, models?.custom ?? []).defaultApi;
      const updated = await call('conversations.update', { id: conversation.id, patch: { model: id, api } });
      onConversation(updated);
      // Every window hears of it (models.changed), this one too.
      await call('models.used', { id });
    } catch (cause) {
      onError(toAppError(cause));
    }
  };

  const onChipKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      show('');
    } else if (
      event.key.length === 1 &&
      event.key !== ' ' &&
      !event.ctrlKey &&
      !event.metaKey &&
      !event.altKey
    ) {
      // Typing on the chip starts a search.
      event.preventDefault();
      show(event.key);
    }
  };

  return (
    <div className="model-picker">
      <button
        ref={chip}
        type="button"
        className="model-chip"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-label={t('modelPicker.chip', { model: label })}
        title={`${label} · ${conversation.model}`}
        onClick={() => (open ? close(false) : show(''))}
        onKeyDown={onChipKey}
      >
        <span className="model-chip-name">{name}</span>
        {variant ? <span className="model-chip-variant">{` (${variant})`}</span> : null}
        <svg viewBox="0 0 24 24" className="model-chip-caret" aria-hidden="true" focusable="false">
          <path d="M7 10l5 5 5-5" />
        </svg>
      </button>
      {open ? (
        <ModelPopover
          conversation={conversation}
          models={models}
          profile={profile}
          query={query}
          onQuery={setQuery}
          onPick={(id) => void pick(id)}
          onClose={close}
          onError={onError}
          chip={chip}
        />
      ) : null}
    </div>
  );
}

function ModelPopover({
  conversation,
  models,
  profile,
  query,
  onQuery,
  onPick,
  onClose,
  onError,
  chip,
}: {
  conversation: Conversation;
  models: ModelsState | null;
  profile: Profile | null;
  query: string;
  onQuery: (query: string) => void;
  onPick: (id: string) => void;
  onClose: (focusChip: boolean) => void;
  onError: (error: AppError) => void;
  chip: RefObject<HTMLButtonElement | null>;
}) {
  const { t } = useTranslation('chat');
  const ids = { list: useId(), input: useId() };
  const box = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const groups = useMemo(
    () =>
      groupsFor(
        models,
        conversation.model,
        query,
        t('settings.yourModels'),
        t('modelPicker.recent'),
        t('modelPicker.typed'),
      ),
    [models, conversation.model, query, t],
  );
  const entries = groups.flatMap((group) => group.entries);
  const [active, setActive] = useState(() =>
    Math.max(
      0,
      entries.findIndex((entry) => entry.id === conversation.model),
    ),
  );
  const activeIndex = Math.min(active, entries.length - 1);

  useEffect(() => {
    const field = input.current;
    field?.focus();
    // A search begun by typing on the chip goes on after that first letter.
    field?.setSelectionRange(field.value.length, field.value.length);
  }, []);

  useEffect(() => {
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!box.current?.contains(target) && !chip.current?.contains(target)) onClose(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [onClose, chip]);

  // On opening the current model shows mid-list, with its neighbours; then the list follows the arrows.
  const scrolled = useRef(false);
  useEffect(() => {
    if (activeIndex < 0) return;
    const option = document.getElementById(`${ids.list}-${activeIndex}`);
    option?.scrollIntoView({ block: scrolled.current ? 'nearest' : 'center' });
    scrolled.current = true;
  }, [activeIndex, ids.list]);

  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    const last = entries.length - 1;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (last < 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((activeIndex + step + entries.length) % entries.length);
    } else if (event.key === 'Home' && event.ctrlKey) {
      setActive(0);
    } else if (event.key === 'End' && event.ctrlKey) {
      setActive(last);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const entry = entries[activeIndex];
      if (entry) onPick(entry.id);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose(true);
    }
  };

  const isDefault = profile?.defaultModel === conversation.model;
  const setDefault = async (model: string | null) => {
    if (!profile) return;
    try {
      await call('profiles.update', { id: profile.id, patch: { defaultModel: model } });
    } catch (cause) {
      onError(toAppError(cause));
    }
  };

  let index = -1;
  return (
    <div
      ref={box}
      className="model-popover"
      role="dialog"
      aria-label={t('modelPicker.title')}
      onKeyDown={(event) => {
        // Escape from the footer's buttons too (the search box handles its own).
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose(true);
        }
      }}
      onBlur={(event) => {
        const next = event.relatedTarget as Node | null;
        if (next && !box.current?.contains(next) && !chip.current?.contains(next)) onClose(false);
      }}
    >
      <input
        ref={input}
        id={ids.input}
        type="search"
        className="model-search"
        role="combobox"
        aria-label={t('modelPicker.search')}
        aria-expanded="true"
        aria-controls={ids.list}
        aria-autocomplete="list"
        aria-activedescendant={activeIndex >= 0 ? `${ids.list}-${activeIndex}` : undefined}
        placeholder={t('modelPicker.searchPlaceholder')}
        value={query}
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => {
          onQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKey}
      />
      <div id={ids.list} className="model-options" role="listbox" aria-label={t('modelPicker.title')}>
        {groups.map((group) => (
          // biome-ignore lint/a11y/useSemanticElements: options of a listbox are grouped by role (a fieldset cannot be there)
          <div key={group.key} role="group" aria-label={group.label} className="model-group">
            <div className="model-group-label" aria-hidden="true">
              {group.label}
            </div>
            {group.entries.map((entry) => {
              index += 1;
              const at = index;
              const { name, variant } = modelName(entry.id);
              const current = entry.id === conversation.model;
              return (
                // biome-ignore lint/a11y/useKeyWithClickEvents: keys are the search box's (aria-activedescendant)
                <div
                  key={entry.key}
                  id={`${ids.list}-${at}`}
                  role="option"
                  tabIndex={-1}
                  aria-selected={current}
                  className={`model-option${at === activeIndex ? ' active' : ''}`}
                  onPointerDown={(event) => event.preventDefault()}
                  onPointerMove={() => at !== activeIndex && setActive(at)}
                  onClick={() => onPick(entry.id)}
                >
                  <span className="model-option-check" aria-hidden="true">
                    {current ? '✓' : ''}
                  </span>
                  <span className="model-option-name">
                    {entry.typed ? t('modelPicker.useTyped', { id: entry.id }) : name}
                    {variant && !entry.typed ? (
                      <span className="model-option-variant"> {variant}</span>
                    ) : null}
                  </span>
                  {profile?.defaultModel === entry.id ? (
                    <span className="model-option-badge">{t('modelPicker.defaultBadge')}</span>
                  ) : null}
                  {entry.typed ? null : (
                    <span className="model-option-id" title={entry.id}>
                      {entry.id}
                    </span>
                  )}
                </div>
              );
            })}
          </div>
        ))}
      </div>
      {entries.length === 0 ? (
        <p className="model-empty" role="status">
          {t('modelPicker.none', { query: query.trim() })}
        </p>
      ) : null}
      {profile ? (
        <div className="model-popover-footer">
          {isDefault ? (
            <>
              <span className="model-default-note">
                {t('modelPicker.isDefault', { profile: profile.name })}
              </span>
              <button type="button" className="text-button" onClick={() => void setDefault(null)}>
                {t('modelPicker.clearDefault')}
              </button>
            </>
          ) : (
            <button type="button" className="text-button" onClick={() => void setDefault(conversation.model)}>
              {t('modelPicker.makeDefault', { profile: profile.name })}
            </button>
          )}
        </div>
      ) : null}
    </div>
  );
}
