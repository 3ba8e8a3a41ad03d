import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpErrorToAppError } from '../src/main/api/errors';
import { HubError } from '../src/main/base/errors';
import { createLibraryKeys, unlockLibraryKeys } from '../src/main/services/sync/sync-crypto';
import { mcpFailure } from '../src/main/services/tools/mcp-failure';
import { adviceFor, isOwnCode } from '../src/renderer/src/hub';
import { i18next } from '../src/renderer/src/i18n';
import { type AppError, isTokenRefusal, terminalAdvice } from '../src/shared/errors';

const cheapKdf = { memoryKiB: 1024, passes: 1, parallelism: 1 };

async function wrongPassphrase(): Promise<AppError> {
  const { object } = await createLibraryKeys('the right one', cheapKdf);
  const refusal = await unlockLibraryKeys(object, 'a wrong one').catch((error: unknown) => error);
  if (!(refusal instanceof HubError)) throw new Error('a wrong passphrase was not refused');
  return refusal.info;
}

function tokenRefused(): AppError {
  return httpErrorToAppError({
    status: 401,
    headers: {},
    bodyText: JSON.stringify({ error: { message: 'invalid api key', code: 'invalid_api_key' } }),
    family: 'openai',
  });
}

function mcpLogin(): AppError {
  return mcpFailure('files', 'connect', new UnauthorizedError('401'), {
    tail: [],
    secrets: [],
    timeoutMs: 1000,
  }).info;
}

describe('advice follows what was refused, not only the kind of error', () => {
  beforeAll(async () => {
    await i18next.changeLanguage('en');
  });
  afterAll(async () => {
    await i18next.changeLanguage('en');
  });

  it('sends the user to the API token only when the proxy refused it', async () => {
    const token = tokenRefused();
    const passphrase = await wrongPassphrase();
    const mcp = mcpLogin();
    expect([token, passphrase, mcp].map((error) => error.kind)).toEqual(['auth', 'auth', 'auth']);

    expect(isTokenRefusal(token)).toBe(true);
    expect(adviceFor(token)).toBe(i18next.t('errors.advice.auth'));
    expect(terminalAdvice(token)).not.toBe('');

    for (const other of [passphrase, mcp]) {
      expect(isTokenRefusal(other)).toBe(false);
      expect(adviceFor(other)).toBe('');
      expect(terminalAdvice(other)).toBe('');
    }
  });

  it('shows a provider’s error code, never HubDesk’s own', async () => {
    expect(tokenRefused().code).toBe('invalid_api_key');
    expect(isOwnCode(tokenRefused())).toBe(false);
    const passphrase = await wrongPassphrase();
    expect(passphrase.code).toBe('sync_wrong_passphrase');
    expect(isOwnCode(passphrase)).toBe(true);
  });
});
