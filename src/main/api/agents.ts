import { Agent, type Dispatcher, ProxyAgent } from 'undici';

const KEEP_ALIVE_MS = 60_000;
const KEEP_ALIVE_MAX_MS = 10 * 60_000;

/**
 * Which proxy (if any) a request to `targetUrl` goes through: the explicit setting wins; otherwise
 * HTTPS_PROXY / HTTP_PROXY (either case) unless NO_PROXY lists the host.
 */
export function resolveProxyUrl(
  targetUrl: URL,
  setting: string | null,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  if (setting && setting.trim().length > 0) return setting.trim();
  const fromEnv =
    targetUrl.protocol === 'https:'
      ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy)
      : (env.HTTP_PROXY ?? env.http_proxy);
  if (!fromEnv || fromEnv.trim().length === 0) return null;
  return bypassesProxy(targetUrl, env.NO_PROXY ?? env.no_proxy ?? '') ? null : fromEnv.trim();
}

/** NO_PROXY: comma- or space-separated hosts, `.suffix` / `*.suffix` domains, optional `:port`, or `*`. */
export function bypassesProxy(targetUrl: URL, noProxy: string): boolean {
  const host = targetUrl.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = targetUrl.port || (targetUrl.protocol === 'https:' ? '443' : '80');
  for (const rawEntry of noProxy.split(/[\s,]+/)) {
    const entry = rawEntry.trim().toLowerCase();
    if (entry.length === 0) continue;
    if (entry === '*') return true;
    const portMatch = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\]$/g, ''));
    const entryHost = (portMatch?.[1] ?? entry).replace(/^\*/, '');
    const entryPort = portMatch?.[2];
    if (entryPort && entryPort !== port) continue;
    if (
      entryHost.startsWith('.') ? host.endsWith(entryHost) || host === entryHost.slice(1) : host === entryHost
    ) {
      return true;
    }
  }
  return false;
}

/** One keep-alive dispatcher per (origin, proxy) pair, reused across calls. */
export class AgentPool {
  private readonly agents = new Map<string, Dispatcher>();

  constructor(private readonly connectTimeoutMs: number) {}

  get(origin: string, proxyUrl: string | null): Dispatcher {
    const key = `${origin} via ${proxyUrl ?? 'direct'}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const common = {
        keepAliveTimeout: KEEP_ALIVE_MS,
        keepAliveMaxTimeout: KEEP_ALIVE_MAX_MS,
        connect: { timeout: this.connectTimeoutMs },
      };
      agent = proxyUrl
        ? new ProxyAgent({
            ...common,
            uri: proxyUrl,
            // CONNECT for plain-http targets too, as for https (undici 7's default; undici 8 forwards absolute-form requests).
            proxyTunnel: true,
            proxyTls: { timeout: this.connectTimeoutMs },
            requestTls: { timeout: this.connectTimeoutMs },
          })
        : new Agent(common);
      this.agents.set(key, agent);
    }
    return agent;
  }

  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((agent) => agent.close().catch(() => undefined)));
  }
}
