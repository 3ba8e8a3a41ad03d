import { HubError } from '../api/errors';
import type { Core } from '../core';
import type { CliIo } from './io';

// Being written: `hubdesk search` and `hubdesk index`.
export async function searchCommand(
  _core: Core,
  verb: 'search' | 'index',
  _args: string[],
  _io: CliIo,
): Promise<number> {
  throw new HubError({ kind: 'invalid_input', message: `${verb} is not available in this build yet.` });
}
