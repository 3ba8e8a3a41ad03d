import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, Channel, EventName, EventPayload, RequestOf, ResponseOf } from '../../shared/contract';
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

/**
 * A status read once by a call that takes no input, then replaced by each `event` main sends with the new status
 * (Settings → Index, Settings → Sync).
 */
export function useLiveStatus<C extends Channel, E extends EventName>(
  channel: C & (RequestOf<C> extends Record<string, never> ? C : never),
  event: E & (EventPayload<E> extends ResponseOf<C> ? E : never),
): { status: ResponseOf<C> | null; setStatus: (status: ResponseOf<C>) => void; error: AppError | null } {
  const [status, setStatus] = useState<ResponseOf<C> | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    let live = true;
    call(channel, {} as RequestOf<C>)
      .then((value) => live && setStatus(value))
      .catch((cause: unknown) => live && setError(toAppError(cause)));
    return () => {
      live = false;
    };
  }, [channel]);
  useHubEvent(event, (value) => {
    setStatus(value as ResponseOf<C>);
    setError(null);
  });
  return { status, setStatus, error };
}
