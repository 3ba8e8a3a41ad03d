import type { Migration } from './migrations';

interface StdioRow {
  name: string;
  config: string;
}

/**
 * The environment values of stdio MCP servers leave their config (issue 15): the config keeps the names
 * (`envNames`), the values wait in `mcp_env_to_move` until start-up has written each to the keychain and deleted
 * its row (a migration cannot reach the keychain). The config is rewritten with `secure_delete` on, so the old
 * bytes are overwritten, not just freed.
 */
export const migration009McpEnvInKeychain: Migration = {
  version: 9,
  name: 'mcp env values to the keychain',
  up: (db) => {
    db.exec(`CREATE TABLE mcp_env_to_move (
      server TEXT NOT NULL COLLATE NOCASE REFERENCES mcp_servers(name) ON DELETE CASCADE ON UPDATE CASCADE,
      name TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (server, name)
    )`);
    const secureDelete = db.pragma('secure_delete', { simple: true }) as number;
    db.pragma('secure_delete = ON');
    try {
      const rows = db
        .prepare("SELECT name, config FROM mcp_servers WHERE transport = 'stdio'")
        .all() as StdioRow[];
      const waiting = db.prepare('INSERT INTO mcp_env_to_move (server, name, value) VALUES (?, ?, ?)');
      const rewrite = db.prepare('UPDATE mcp_servers SET config = ? WHERE name = ?');
      for (const row of rows) {
        const { env, ...config } = JSON.parse(row.config) as { env?: Record<string, unknown> };
        const entries = Object.entries(env ?? {});
        for (const [name, value] of entries) waiting.run(row.name, name, String(value));
        rewrite.run(JSON.stringify({ ...config, envNames: entries.map(([name]) => name) }), row.name);
      }
    } finally {
      db.pragma(`secure_delete = ${secureDelete ? 'ON' : 'OFF'}`);
    }
  },
};
