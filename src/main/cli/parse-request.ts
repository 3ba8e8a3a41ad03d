import { type Channel, channels, type ParsedRequestOf } from '../../shared/contract';
import { HubError, invalidInput } from '../base/errors';

/**
 * Validates CLI input with the same schema the IPC route uses, so both reject the same things; `names` are the
 * words the user knows each field by in this command.
 */
export function parseRequest<C extends Channel>(
  channel: C,
  request: unknown,
  names: Record<string, string> = {},
): ParsedRequestOf<C> {
  const parsed = channels[channel].request.safeParse(request);
  if (!parsed.success) throw new HubError(invalidInput(parsed.error.issues, request, names));
  return parsed.data as ParsedRequestOf<C>;
}
