import { useCallback, useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import type { ProfilesState, TokenStatus } from '../../shared/profiles';
import { call, toAppError, useHubEvent } from './hub';

export type Loaded<T> = { value: T | null; error: AppError | null; loading: boolean };

/** The profiles and which one is active, kept current by `profiles.changed`. */
export function useProfiles(): Loaded<ProfilesState> & { replace: (state: ProfilesState) => void } {
  const [value, setValue] = useState<ProfilesState | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    call('profiles.list', {})
      .then((state) => live && setValue(state))
      .catch((cause: unknown) => live && setError(toAppError(cause)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, []);

  useHubEvent('profiles.changed', (state) => {
    setValue(state);
    setError(null);
  });

  const replace = useCallback((state: ProfilesState) => setValue(state), []);
  return { value, error, loading, replace };
}

/** Whether a profile has a token and where it lives, kept current by `token.changed`. */
export function useTokenStatus(
  profileId: string | null,
): Loaded<TokenStatus> & { replace: (status: TokenStatus) => void } {
  const [value, setValue] = useState<TokenStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(profileId !== null);

  useEffect(() => {
    setValue(null);
    setError(null);
    if (profileId === null) {
      setLoading(false);
      return;
    }
    let live = true;
    setLoading(true);
    call('token.status', { profileId })
      .then((status) => live && setValue(status))
      .catch((cause: unknown) => live && setError(toAppError(cause)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [profileId]);

  useHubEvent('token.changed', (status) => {
    if (status.profileId === profileId) setValue(status);
  });

  const replace = useCallback(
    (status: TokenStatus) => {
      if (status.profileId === profileId) setValue(status);
    },
    [profileId],
  );
  return { value, error, loading, replace };
}

export function useAppInfo(): Loaded<AppInfo> {
  const [state, setState] = useState<Loaded<AppInfo>>({ value: null, error: null, loading: true });
  useEffect(() => {
    let live = true;
    call('app.info', {})
      .then((value) => live && setState({ value, error: null, loading: false }))
      .catch((cause: unknown) => live && setState({ value: null, error: toAppError(cause), loading: false }));
    return () => {
      live = false;
    };
  }, []);
  return state;
}

export type ProfilesHandle = ReturnType<typeof useProfiles>;
