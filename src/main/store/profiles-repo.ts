import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type EndpointOverrides, endpointOverridesSchema } from '../../shared/endpoints';
import {
  baseUrlSchema,
  DEFAULT_BASE_URL,
  type Profile,
  type ProfilesState,
  proxyUrlSchema,
} from '../../shared/profiles';
import { proxyCredentialsOf, withoutProxyCredentials } from '../../shared/proxy-url';
import { HubError, invalidField } from '../base/errors';
import type { Db } from './database';
import { SettingsRepo } from './settings-repo';
import { StatementCache } from './statement-cache';

const ACTIVE_PROFILE_KEY = 'profiles.activeId';
/** The profiles whose proxy user name and password are in the keychain. */
const PROXY_CREDENTIALS_KEY = 'profiles.proxyCredentials';
/** Each profile's default model id, by profile id. */
const DEFAULT_MODELS_KEY = 'profiles.defaultModels';
const idListSchema = z.array(z.string());
const defaultModelsSchema = z.record(z.string(), z.string());
export const DEFAULT_PROFILE_NAME = 'TikHub';

const modelIdSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');
const nameSchema = z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters');

interface ProfileRow {
  id: string;
  name: string;
  base_url: string;
  proxy_url: string | null;
  endpoint_overrides: string;
  created_at: number;
  updated_at: number;
}

export interface ProfilePatch {
  name?: string;
  baseUrl?: string;
  /** Never with a user name or password: those live in the keychain. */
  proxyUrl?: string | null;
  endpointOverrides?: EndpointOverrides;
  /** Whether the keychain holds the proxy's user name and password. */
  proxyCredentialsSet?: boolean;
  /** null: no default model of its own. */
  defaultModel?: string | null;
}

/** Connection profiles (name, base URL, proxy, endpoint overrides) and which one is active. */
export class ProfilesRepo {
  private readonly settings: SettingsRepo;
  /** The reads of every request (the active profile, its target), prepared once. */
  private readonly statements: StatementCache;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {
    this.settings = new SettingsRepo(db);
    this.statements = new StatementCache(db);
  }

  /** Oldest first. */
  list(): Profile[] {
    const rows = this.statements
      .get('SELECT * FROM profiles ORDER BY created_at, rowid')
      .all() as ProfileRow[];
    const withCredentials = this.withProxyCredentials();
    const defaultModels = this.defaultModels();
    return rows.map((row) => toProfile(row, withCredentials, defaultModels));
  }

  get(id: string): Profile | undefined {
    const row = this.statements.get('SELECT * FROM profiles WHERE id = ?').get(id) as ProfileRow | undefined;
    return row ? toProfile(row, this.withProxyCredentials(), this.defaultModels()) : undefined;
  }

  /** The proxy URL as stored: with a user name and password only in a database from before they moved out. */
  storedProxyUrl(id: string): string | null {
    const row = this.statements.get('SELECT proxy_url FROM profiles WHERE id = ?').get(id) as
      | { proxy_url: string | null }
      | undefined;
    return row?.proxy_url ?? null;
  }

  /** Profiles whose stored proxy URL still holds a user name or password (written before they moved out). */
  proxyUrlsWithCredentials(): { id: string; proxyUrl: string }[] {
    const rows = this.db.prepare("SELECT id, proxy_url FROM profiles WHERE proxy_url LIKE '%@%'").all() as {
      id: string;
      proxy_url: string;
    }[];
    return rows
      .filter((row) => proxyCredentialsOf(row.proxy_url) !== null)
      .map((row) => ({ id: row.id, proxyUrl: row.proxy_url }));
  }

  /**
   * Replaces a stored proxy URL that held credentials (now in the keychain) with the URL without them, unless it
   * changed meanwhile. The old bytes are overwritten, not just freed, and the WAL is emptied, so the password is in
   * no page of the database files.
   */
  forgetStoredProxyCredentials(id: string, storedUrl: string, urlWithout: string): boolean {
    const secureDelete = this.db.pragma('secure_delete', { simple: true }) as number;
    this.db.pragma('secure_delete = ON');
    let changed: boolean;
    try {
      changed = this.db.transaction(() => {
        const result = this.db
          .prepare('UPDATE profiles SET proxy_url = ? WHERE id = ? AND proxy_url = ?')
          .run(urlWithout, id, storedUrl);
        if (result.changes === 1) this.markProxyCredentials(id, true);
        return result.changes === 1;
      })();
    } finally {
      this.db.pragma(`secure_delete = ${secureDelete ? 'ON' : 'OFF'}`);
    }
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return changed;
  }

  create(input: { name: string; baseUrl: string }): Profile {
    const now = this.clock();
    const profile: Profile = {
      id: randomUUID(),
      name: valid(nameSchema, input.name, 'name'),
      baseUrl: valid(baseUrlSchema, input.baseUrl, 'baseUrl'),
      proxyUrl: null,
      proxyCredentialsSet: false,
      endpointOverrides: {},
      defaultModel: null,
      createdAt: now,
      updatedAt: now,
    };
    this.db
      .prepare(
        `INSERT INTO profiles (id, name, base_url, proxy_url, endpoint_overrides, created_at, updated_at)
         VALUES (@id, @name, @base_url, @proxy_url, @endpoint_overrides, @created_at, @updated_at)`,
      )
      .run(toRow(profile));
    return profile;
  }

  update(id: string, patch: ProfilePatch): Profile {
    const current = this.require(id);
    const next: Profile = {
      ...current,
      name: patch.name === undefined ? current.name : valid(nameSchema, patch.name, 'name'),
      baseUrl: patch.baseUrl === undefined ? current.baseUrl : valid(baseUrlSchema, patch.baseUrl, 'baseUrl'),
      proxyUrl:
        patch.proxyUrl === undefined
          ? current.proxyUrl
          : patch.proxyUrl === null
            ? null
            : valid(proxyWithoutCredentialsSchema, patch.proxyUrl, 'proxyUrl'),

      endpointOverrides:
        patch.endpointOverrides === undefined
          ? current.endpointOverrides
          : valid(endpointOverridesSchema, patch.endpointOverrides, 'endpointOverrides'),
      defaultModel:
        patch.defaultModel === undefined
          ? current.defaultModel
          : patch.defaultModel === null
            ? null
            : valid(modelIdSchema, patch.defaultModel, 'defaultModel'),
      updatedAt: this.clock(),
    };
    // A proxy URL left alone stays as stored (in an old database it may still hold credentials not moved yet).
    const proxyUrl = patch.proxyUrl === undefined ? this.storedProxyUrl(id) : next.proxyUrl;
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE profiles SET name = @name, base_url = @base_url, proxy_url = @proxy_url,
           endpoint_overrides = @endpoint_overrides, updated_at = @updated_at WHERE id = @id`,
        )
        .run({ ...toRow(next), proxy_url: proxyUrl });
      if (patch.proxyCredentialsSet !== undefined) this.markProxyCredentials(id, patch.proxyCredentialsSet);
      if (patch.defaultModel !== undefined) this.setDefaultModel(id, next.defaultModel);
    })();
    return this.require(id);
  }

  /** Deleting the active profile activates the oldest remaining one; the last profile cannot be deleted. */
  delete(id: string): void {
    this.db.transaction(() => {
      this.require(id);
      const count = (this.db.prepare('SELECT COUNT(*) AS n FROM profiles').get() as { n: number }).n;
      if (count <= 1) {
        throw new HubError({
          kind: 'invalid_input',
          message: 'The last profile cannot be deleted. Add another profile first.',
          field: 'id',
          reason: { code: 'profileLast', values: {} },
        });
      }
      const wasActive = this.activeId() === id;
      this.db.prepare('DELETE FROM profiles WHERE id = ?').run(id);
      this.markProxyCredentials(id, false);
      this.setDefaultModel(id, null);
      if (wasActive) {
        const oldest = this.list()[0];
        if (oldest) this.settings.set(ACTIVE_PROFILE_KEY, oldest.id);
      }
    })();
  }

  /** The active profile's id; when none is recorded (or it is gone), the oldest profile's; null when there are none. */
  activeId(): string | null {
    const stored = this.settings.get(ACTIVE_PROFILE_KEY, z.string());
    if (stored !== undefined && this.get(stored)) return stored;
    return this.list()[0]?.id ?? null;
  }

  setActive(id: string): void {
    this.require(id);
    this.settings.set(ACTIVE_PROFILE_KEY, id);
  }

  state(): ProfilesState {
    return { profiles: this.list(), activeId: this.activeId() };
  }

  /** Creates the default "TikHub" profile when there is none; returns the active profile. */
  ensureDefault(): Profile {
    return this.db.transaction(() => {
      if (this.list().length === 0) {
        const created = this.create({ name: DEFAULT_PROFILE_NAME, baseUrl: DEFAULT_BASE_URL });
        this.settings.set(ACTIVE_PROFILE_KEY, created.id);
        return created;
      }
      const id = this.activeId();
      const active = id === null ? undefined : this.get(id);
      if (!active) throw new Error('No active profile although profiles exist');
      return active;
    })();
  }

  private withProxyCredentials(): ReadonlySet<string> {
    return new Set(this.settings.get(PROXY_CREDENTIALS_KEY, idListSchema) ?? []);
  }

  private defaultModels(): Readonly<Record<string, string>> {
    return this.settings.get(DEFAULT_MODELS_KEY, defaultModelsSchema) ?? {};
  }

  private setDefaultModel(id: string, model: string | null): void {
    const { [id]: _previous, ...others } = this.defaultModels();
    this.settings.set(DEFAULT_MODELS_KEY, model === null ? others : { ...others, [id]: model });
  }

  private markProxyCredentials(id: string, set: boolean): void {
    const ids = new Set(this.withProxyCredentials());
    if (ids.has(id) === set) return;
    if (set) ids.add(id);
    else ids.delete(id);
    this.settings.set(PROXY_CREDENTIALS_KEY, [...ids]);
  }

  private require(id: string): Profile {
    const profile = this.get(id);
    if (!profile) {
      throw new HubError({
        kind: 'not_found',
        message: `No profile with id "${id}".`,
        field: 'id',
        reason: { code: 'profileGone', values: {} },
      });
    }
    return profile;
  }
}

function valid<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HubError(invalidField(result.error.issues, value, field));
}

const proxyWithoutCredentialsSchema = proxyUrlSchema.refine(
  (value) => proxyCredentialsOf(value) === null,
  'must not hold a user name or password here (they are kept in the keychain)',
);

/** The window's view of a row: the proxy URL without a user name or password, and whether they are kept. */
function toProfile(
  row: ProfileRow,
  withProxyCredentials: ReadonlySet<string>,
  defaultModels: Readonly<Record<string, string>>,
): Profile {
  const stored = row.proxy_url;
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.base_url,
    proxyUrl: stored === null ? null : withoutProxyCredentials(stored),
    proxyCredentialsSet:
      withProxyCredentials.has(row.id) || (stored !== null && proxyCredentialsOf(stored) !== null),
    endpointOverrides: parseOverrides(row.endpoint_overrides),
    defaultModel: defaultModels[row.id] ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseOverrides(json: string): EndpointOverrides {
  try {
    const result = endpointOverridesSchema.safeParse(JSON.parse(json));
    return result.success ? result.data : {};
  } catch {
    return {};
  }
}

function toRow(profile: Profile): ProfileRow {
  return {
    id: profile.id,
    name: profile.name,
    base_url: profile.baseUrl,
    proxy_url: profile.proxyUrl,
    endpoint_overrides: JSON.stringify(profile.endpointOverrides),
    created_at: profile.createdAt,
    updated_at: profile.updatedAt,
  };
}
