import { useEffect, useState } from 'react';
import type { Profile, ProfilesState } from '../../../shared/profiles';
import { call, useHubEvent } from '../hub';

const activeOf = (state: ProfilesState): Profile | null =>
  state.profiles.find((profile) => profile.id === state.activeId) ?? null;

/** The active profile (its default model), kept current as profiles change anywhere. */
export function useActiveProfile(): Profile | null {
  const [profile, setProfile] = useState<Profile | null>(null);
  useEffect(() => {
    let alive = true;
    call('profiles.list', {})
      .then((state) => alive && setProfile(activeOf(state)))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  useHubEvent('profiles.changed', (state) => setProfile(activeOf(state)));
  return profile;
}
