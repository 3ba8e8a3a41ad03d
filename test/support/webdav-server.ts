/**
 * Debian's Apache with mod_dav on 127.0.0.1, for the WebDAV sync tests: a generated minimal configuration in a
 * temporary folder, basic auth against a password file written here, and three places under one port:
 * `/dav/` (read and write), `/dav/readonly/` (read only: writes answer 403) and `/plain/` (a web folder without
 * WebDAV). Every request is logged, so a test can count what was sent.
 *
 * Apache refuses to serve as root: started by root (CI), its workers run as `nobody`, and the folders they write
 * are handed to that user; started by anyone else, it runs as that user.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const apacheBinary = '/usr/sbin/apache2';
const modules = '/usr/lib/apache2/modules';

export interface WebDavServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The read-write WebDAV folder, `<origin>/dav/`. */
  url: string;
  user: string;
  password: string;
  /** The folder on disk behind `url`. */
  root: string;
  port: number;
  /** Requests served so far, oldest first (from Apache's access log). */
  requests(): Promise<{ method: string; path: string; status: number; range: string | undefined }[]>;
  close(): Promise<void>;
}

export function apacheAvailable(): boolean {
  return existsSync(apacheBinary) && existsSync(join(modules, 'mod_dav_fs.so'));
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function config(dir: string, port: number, runAsNobody: boolean): string {
  const load = (name: string) => `LoadModule ${name}_module ${modules}/mod_${name}.so`;
  return [
    `ServerRoot "${dir}"`,
    `Listen 127.0.0.1:${port}`,
    'ServerName 127.0.0.1',
    `PidFile "${dir}/httpd.pid"`,
    `ErrorLog "${dir}/logs/error.log"`,
    'LogLevel warn',
    ...(runAsNobody ? ['User #65534', 'Group #65534'] : []),
    load('mpm_event'),
    // A small pool: the tests send a request at a time, on a machine shared with other work.
    'StartServers 1',
    'ServerLimit 2',
    'ThreadsPerChild 8',
    'MaxRequestWorkers 16',
    'MinSpareThreads 4',
    'MaxSpareThreads 16',
    load('authn_core'),
    load('authn_file'),
    load('authz_core'),
    load('authz_user'),
    load('auth_basic'),
    load('alias'),
    load('dav'),
    load('dav_fs'),
    'LogFormat "%m %U %>s %{Range}i" methods',
    `CustomLog "${dir}/logs/access.log" methods`,
    `DavLockDB "${dir}/lock/davlock"`,
    `DocumentRoot "${dir}/plain"`,
    `Alias /dav "${dir}/dav"`,
    `Alias /plain "${dir}/plain"`,
    `<Directory "${dir}/plain">`,
    '  Require all granted',
    '</Directory>',
    `<Directory "${dir}/dav">`,
    '  Dav On',
    '  AuthType Basic',
    '  AuthName "HubDesk test"',
    '  AuthBasicProvider file',
    `  AuthUserFile "${dir}/htpasswd"`,
    '  Require valid-user',
    '</Directory>',
    `<Directory "${dir}/dav/readonly">`,
    '  <LimitExcept GET HEAD OPTIONS PROPFIND>',
    '    Require all denied',
    '  </LimitExcept>',
    '</Directory>',
    '',
  ].join('\n');
}

async function startOnce(dir: string, runAsNobody: boolean): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  await writeFile(join(dir, 'httpd.conf'), config(dir, port, runAsNobody));
  const child = spawn(apacheBinary, ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (let attempt = 0; attempt < 200 && !exited; attempt++) {
    if (await accepts(port)) return { child, port };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  const log = await readFile(join(dir, 'logs/error.log'), 'utf8').catch(() => '');
  throw new Error(`apache2 did not start on port ${port}: ${stderr}${log}`);
}

export async function startWebDavServer(user = 'alice', password = 'correct horse'): Promise<WebDavServer> {
  const dir = await mkdtemp(join(tmpdir(), 'hubdesk-dav-'));
  for (const folder of ['dav', 'dav/readonly', 'plain', 'lock', 'logs']) await mkdir(join(dir, folder));
  await writeFile(join(dir, 'plain/index.html'), '<html><body>Not WebDAV</body></html>');
  // Apache's own {SHA} password format: base64 of the SHA-1 of the password.
  const hash = createHash('sha1').update(password).digest('base64');
  await writeFile(join(dir, 'htpasswd'), `${user}:{SHA}${hash}\n`, { mode: 0o644 });
  const runAsNobody = process.getuid?.() === 0;
  if (runAsNobody) {
    await chmod(dir, 0o755);
    for (const folder of ['dav', 'dav/readonly', 'lock']) await chown(join(dir, folder), 65534, 65534);
  }
  let started: { child: ChildProcess; port: number } | undefined;
  // The free port is found before Apache binds it: another process may take it in between, so try again.
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    try {
      started = await startOnce(dir, runAsNobody);
    } catch (error) {
      if (attempt === 2) throw error;
    }
  }
  if (!started) throw new Error('apache2 did not start');
  const { child, port } = started;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}/dav/`,
    user,
    password,
    root: join(dir, 'dav'),
    port,
    async requests() {
      const log = await readFile(join(dir, 'logs/access.log'), 'utf8').catch(() => '');
      return log
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [method = '', path = '', status = '0', range = '-'] = line.split(' ');
          return {
            method,
            path: decodeURIComponent(path),
            status: Number(status),
            range: range === '-' ? undefined : range,
          };
        });
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // SIGTERM to the parent stops its workers too.
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
