import { HubError } from '../api/errors';
import type { Core } from '../core';
import type { CliIo } from './io';

// Being written: `hubdesk transcribe`.
export async function transcribeCommand(_core: Core, _args: string[], _io: CliIo): Promise<number> {
  throw new HubError({ kind: 'invalid_input', message: 'transcribe is not available in this build yet.' });
}
