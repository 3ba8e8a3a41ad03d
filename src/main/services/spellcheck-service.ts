import { z } from 'zod';
import { type SpellcheckState, spellcheckDefault } from '../../shared/spellcheck';
import type { SettingsRepo } from '../store/settings-repo';
import type { EventBus } from './event-bus';

export const SPELLCHECK_KEY = 'ui.spellcheck';

/** Whether the window checks spelling: the user's choice, else the platform's default. */
export class SpellcheckService {
  constructor(
    private readonly deps: { settingsRepo: SettingsRepo; bus: EventBus; platform: NodeJS.Platform },
  ) {}

  state(): SpellcheckState {
    const stored = this.deps.settingsRepo.get(SPELLCHECK_KEY, z.boolean());
    return { enabled: stored ?? spellcheckDefault(this.deps.platform) };
  }

  set(enabled: boolean): SpellcheckState {
    this.deps.settingsRepo.set(SPELLCHECK_KEY, enabled);
    const state = this.state();
    this.deps.bus.emit('spellcheck.changed', state);
    return state;
  }
}
