import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { McpServerView } from '../../../shared/tools-channels';
import { call, toAppError, useHubEvent } from '../hub';

export interface ToolServersHandle {
  servers: McpServerView[] | null;
  loading: boolean;
  error: AppError | null;
  reload: () => void;
  /** Starts the enabled servers that are stopped (after an add or an import); their events follow. */
  connect: () => void;
  /** Shows a view main just answered with (before its event arrives). */
  replace: (server: McpServerView) => void;
  forget: (name: string) => void;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Every MCP server, kept current by `tools.serverChanged`; opening it starts the enabled servers that are stopped. */
export function useToolServers(): ToolServersHandle {
  const [servers, setServers] = useState<McpServerView[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<AppError | null>(null);

  const reload = useCallback(() => {
    setLoading(true);
    setError(null);
    call('tools.servers', { connect: true })
      .then(setServers)
      .catch((cause: unknown) => setError(toAppError(cause)))
      .finally(() => setLoading(false));
  }, []);

  useEffect(reload, [reload]);

  const connect = useCallback(() => {
    call('tools.servers', { connect: true })
      .then(setServers)
      .catch((cause: unknown) => setError(toAppError(cause)));
  }, []);

  const replace = useCallback((server: McpServerView) => {
    setServers((current) => {
      const list = current ?? [];
      const at = list.findIndex((item) => sameName(item.name, server.name));
      if (at < 0) return [...list, server].sort((a, b) => a.createdAt - b.createdAt);
      return list.map((item, index) => (index === at ? server : item));
    });
  }, []);

  const forget = useCallback((name: string) => {
    setServers((current) => current?.filter((item) => !sameName(item.name, name)) ?? null);
  }, []);

  useHubEvent('tools.serverChanged', ({ name, server }) => {
    if (server) replace(server);
    else forget(name);
  });

  return { servers, loading, error, reload, connect, replace, forget };
}
