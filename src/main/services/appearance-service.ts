import { type Appearance, appearanceSchema, defaultAppearance } from '../../shared/appearance';
import type { SettingsRepo } from '../store/settings-repo';
import type { EventBus } from './event-bus';

export const APPEARANCE_KEY = 'ui.appearance';

/** Theme, text size and send key: the user's choices, each falling back to its default. */
export class AppearanceService {
  constructor(private readonly deps: { settingsRepo: SettingsRepo; bus: EventBus }) {}

  state(): Appearance {
    const stored = this.deps.settingsRepo.get(APPEARANCE_KEY, appearanceSchema.partial());
    return { ...defaultAppearance, ...stored };
  }

  set(changes: Partial<Appearance>): Appearance {
    const next = { ...this.state(), ...changes };
    this.deps.settingsRepo.set(APPEARANCE_KEY, next);
    this.deps.bus.emit('appearance.changed', next);
    return next;
  }
}
