import type { Profile, ProfilesState } from '../../../shared/profiles';

/** The state with one profile added or replaced, for answers that return a single profile. */
export function withProfile(state: ProfilesState, profile: Profile): ProfilesState {
  const exists = state.profiles.some((item) => item.id === profile.id);
  return {
    ...state,
    profiles: exists
      ? state.profiles.map((item) => (item.id === profile.id ? profile : item))
      : [...state.profiles, profile],
  };
}
