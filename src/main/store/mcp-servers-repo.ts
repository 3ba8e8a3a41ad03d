import { z } from 'zod';
import { type TransportView, transportViewSchema } from '../../shared/tools-channels';
import type { Db } from './database';

/** An MCP server as stored: the transport without any header or environment value (those are in the keychain). */
export interface StoredMcpServer {
  name: string;
  transport: TransportView;
  enabled: boolean;
  autoApprove: string[];
  createdAt: number;
  updatedAt: number;
}

interface ServerRow {
  name: string;
  transport: string;
  config: string;
  enabled: number;
  auto_approve: string;
  created_at: number;
  updated_at: number;
}

const toolNamesSchema = z.array(z.string());

function toServer(row: ServerRow): StoredMcpServer {
  const transport = transportViewSchema.parse({ type: row.transport, ...JSON.parse(row.config) });
  const autoApprove = toolNamesSchema.safeParse(JSON.parse(row.auto_approve));
  return {
    name: row.name,
    transport,
    enabled: row.enabled === 1,
    autoApprove: autoApprove.success ? autoApprove.data : [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function configOf(transport: TransportView): string {
  const { type: _type, ...config } = transport;
  return JSON.stringify(config);
}

/** MCP server configurations; names are unique regardless of case. */
export class McpServersRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Oldest first. */
  list(): StoredMcpServer[] {
    const rows = this.db.prepare('SELECT * FROM mcp_servers ORDER BY created_at, rowid').all() as ServerRow[];
    return rows.map(toServer);
  }

  /** By name, any case. */
  get(name: string): StoredMcpServer | undefined {
    const row = this.db.prepare('SELECT * FROM mcp_servers WHERE name = ?').get(name) as
      | ServerRow
      | undefined;
    return row ? toServer(row) : undefined;
  }

  /** False when the name is taken. */
  insert(server: {
    name: string;
    transport: TransportView;
    enabled: boolean;
    autoApprove: string[];
  }): boolean {
    const now = this.clock();
    const result = this.db
      .prepare(
        `INSERT INTO mcp_servers (name, transport, config, enabled, auto_approve, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`,
      )
      .run(
        server.name,
        server.transport.type,
        configOf(server.transport),
        server.enabled ? 1 : 0,
        JSON.stringify([...new Set(server.autoApprove)]),
        now,
        now,
      );
    return result.changes === 1;
  }

  setTransport(name: string, transport: TransportView): void {
    this.db
      .prepare('UPDATE mcp_servers SET transport = ?, config = ?, updated_at = ? WHERE name = ?')
      .run(transport.type, configOf(transport), this.clock(), name);
  }

  setEnabled(name: string, enabled: boolean): void {
    this.db
      .prepare('UPDATE mcp_servers SET enabled = ?, updated_at = ? WHERE name = ?')
      .run(enabled ? 1 : 0, this.clock(), name);
  }

  setAutoApprove(name: string, tools: string[]): void {
    this.db
      .prepare('UPDATE mcp_servers SET auto_approve = ?, updated_at = ? WHERE name = ?')
      .run(JSON.stringify([...new Set(tools)].sort()), this.clock(), name);
  }

  /** False when `to` is taken by another server (a change of case only is a rename too). */
  rename(from: string, to: string): boolean {
    const taken = this.get(to);
    if (taken && taken.name.toLowerCase() !== from.toLowerCase()) return false;
    return (
      this.db
        .prepare('UPDATE mcp_servers SET name = ?, updated_at = ? WHERE name = ?')
        .run(to, this.clock(), from).changes === 1
    );
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM mcp_servers WHERE name = ?').run(name).changes === 1;
  }

  /** Environment values an older HubDesk kept in SQLite (migration 9), still to be written to the keychain. */
  envValuesToMove(): { server: string; name: string; value: string }[] {
    return this.db
      .prepare(
        `SELECT s.name AS server, e.name AS name, e.value AS value
         FROM mcp_env_to_move e JOIN mcp_servers s ON s.name = e.server ORDER BY s.name, e.name`,
      )
      .all() as { server: string; name: string; value: string }[];
  }

  /**
   * Deletes values that are in the keychain now. The old bytes are overwritten, not just freed, and the WAL is
   * emptied, so the values are in no page of the database files.
   */
  forgetEnvValues(server: string, names: readonly string[]): void {
    const secureDelete = this.db.pragma('secure_delete', { simple: true }) as number;
    this.db.pragma('secure_delete = ON');
    try {
      const remove = this.db.prepare('DELETE FROM mcp_env_to_move WHERE server = ? AND name = ?');
      this.db.transaction(() => {
        for (const name of names) remove.run(server, name);
      })();
    } finally {
      this.db.pragma(`secure_delete = ${secureDelete ? 'ON' : 'OFF'}`);
    }
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
