import type { DoctorFact } from '../../../shared/doctor';
import type { ConnectionTestResult, Profile } from '../../../shared/profiles';
import { toAppError } from '../../base/errors';
import { type Found, reasonOf, text } from './findings';

/** The connection test the Settings screen runs (SettingsService has both verbs). */
export interface DoctorConnection {
  /** The active profile; throws when it cannot be read. */
  activeProfile(): Profile;
  testConnection(profileId: string): Promise<ConnectionTestResult>;
}

export async function connectionCheck(
  connection: DoctorConnection | undefined,
): Promise<Found<'connection'>> {
  let profile: Profile;
  try {
    if (!connection) throw new Error('no profiles are available');
    profile = connection.activeProfile();
  } catch (error) {
    return { id: 'connection', status: 'fail', note: 'noProfile', values: { detail: reasonOf(error) } };
  }
  const facts: DoctorFact[] = [text('profile', `${profile.name} (${profile.baseUrl})`)];
  try {
    const result = await connection.testConnection(profile.id);
    return {
      id: 'connection',
      status: 'ok',
      note: 'ok',
      facts: [
        ...facts,
        text('endpoint', result.endpoint),
        text('httpStatus', String(result.status)),
        { name: 'latency', kind: 'ms', value: result.latencyMs },
        text('model', result.model),
      ],
    };
  } catch (cause) {
    const error = toAppError(cause);
    return {
      id: 'connection',
      status: 'fail',
      note: 'failed',
      values: { detail: error.message },
      facts: [...facts, ...(error.status !== undefined ? [text('httpStatus', String(error.status))] : [])],
      error,
    };
  }
}
