import type { Migration } from './migrations';

/** MCP servers the user added (issue 15). Header values and tokens are in the keychain, never here. */
export const migration008McpServers: Migration = {
  version: 8,
  name: 'mcp servers',
  up: (db) => {
    db.exec(`CREATE TABLE mcp_servers (
      name TEXT PRIMARY KEY COLLATE NOCASE,
      transport TEXT NOT NULL CHECK (transport IN ('stdio', 'http')),
      config TEXT NOT NULL,
      enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
      auto_approve TEXT NOT NULL DEFAULT '[]',
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
  },
};
