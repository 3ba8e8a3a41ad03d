import { connectionProblem, messageOf, statusOf } from './remote-failure';
import type { ConnectionReport } from './remote-store';

/** What a failed step of the WebDAV connection test (`list`, `write`, `read`, `delete`) says is wrong. */
export function webDavProblem(error: unknown, step: string): ConnectionReport {
  const detail = `${step}: ${messageOf(error)}`;
  const unreached = connectionProblem(error);
  if (unreached) return { ok: false, problem: unreached, detail };
  const status = statusOf(error);
  if (status === undefined) return { ok: false, problem: 'unknown', detail };
  if (status === 401) return { ok: false, problem: 'auth', detail, status };
  if (status === 404 || (status === 409 && step === 'list'))
    return { ok: false, problem: 'not_found', detail, status };
  if (status === 403 || (step !== 'list' && (status === 405 || status === 409))) {
    return { ok: false, problem: 'permission', detail, status };
  }
  if (status === 405 || status === 501) return { ok: false, problem: 'address', detail, status };
  return { ok: false, problem: 'unknown', detail, status };
}
