import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import type { McpServerView } from '../../../shared/tools-channels';
import { call, messageFor, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';
import { Modal } from '../ui/Modal';
import { ServerForm } from './ServerForm';
import { ToolItem } from './ToolItem';

type Props = {
  server: McpServerView;
  onServer: (server: McpServerView) => void;
  onRemoved: (name: string) => void;
  /** Saved from the edit form: `previousName` differs after a rename. */
  onEdited: (server: McpServerView, previousName: string) => void;
  /** Just renamed (this item is new): its Edit button takes the focus the old one had. */
  focusEdit?: boolean;
};

type Action = 'enable' | 'restart' | 'remove' | 'signIn' | 'signOut';

function statusKey(server: McpServerView): McpServerView['status'] | 'disabled' {
  if (!server.enabled && server.status === 'stopped') return 'disabled';
  return server.status;
}

const badgeClass = {
  ready: 'badge badge-good',
  starting: 'badge badge-neutral',
  failed: 'badge badge-failed',
  disabled: 'badge badge-off',
  stopped: 'badge badge-off',
  'needs-sign-in': 'badge badge-warn',
} as const;

/** How the server is reached: the command line, or the URL with the names of its headers (values stay in main). */
function TransportLine({ server }: { server: McpServerView }) {
  const { t } = useTranslation('settings');
  const transport = server.transport;
  if (transport.type === 'http') {
    return (
      <div className="tool-server-transport">
        <code className="path">{transport.url}</code>
        {transport.headerNames.length > 0 ? (
          <ul className="tool-server-headers" aria-label={t('tools.headersLabel')}>
            {transport.headerNames.map((name) => (
              <li key={name}>
                <code>{name}</code> <span className="muted">{t('tools.headerSet')}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  const envNames = transport.envNames;
  return (
    <div className="tool-server-transport">
      <code className="path">{[transport.command, ...transport.args].join(' ')}</code>
      {envNames.length > 0 ? (
        <p className="muted">{t('tools.envNames', { names: envNames.join(', ') })}</p>
      ) : null}
      {transport.cwd ? <p className="muted">{t('tools.cwdIs', { folder: transport.cwd })}</p> : null}
    </div>
  );
}

/** One MCP server: its status (and why it failed), enable, restart, remove, and the tools it offers. */
export function ToolServerItem({ server, onServer, onRemoved, onEdited, focusEdit = false }: Props) {
  const { t } = useTranslation('settings');
  const [action, setAction] = useState<Action | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [confirming, setConfirming] = useState(false);
  /** The box as the user set it, while main starts or stops the server. */
  const [wantEnabled, setWantEnabled] = useState<boolean | null>(null);
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusEdit) editButton.current?.focus();
  }, [focusEdit]);
  const closeEdit = () => {
    setEditing(false);
    requestAnimationFrame(() => editButton.current?.focus());
  };
  const ids = {
    name: useId(),
    enabled: useId(),
    confirmTitle: useId(),
    confirmBody: useId(),
  };
  const status = statusKey(server);

  const run = async (which: Action, work: () => Promise<void>) => {
    setAction(which);
    setError(null);
    try {
      await work();
    } catch (cause) {
      setError(toAppError(cause));
    } finally {
      setAction(null);
    }
  };

  const setEnabled = async (enabled: boolean) => {
    setWantEnabled(enabled);
    await run('enable', async () => onServer(await call('tools.setEnabled', { name: server.name, enabled })));
    setWantEnabled(null);
  };
  const restart = () =>
    run('restart', async () => onServer(await call('tools.restart', { name: server.name })));
  const signIn = () => run('signIn', async () => onServer(await call('tools.signIn', { name: server.name })));
  const signOut = () =>
    run('signOut', async () => onServer(await call('tools.signOut', { name: server.name })));
  const waitingForBrowser = action === 'signIn' || (server.signIn?.signingIn ?? false);
  const remove = () => {
    setConfirming(false);
    void run('remove', async () => {
      await call('tools.removeServer', { name: server.name });
      onRemoved(server.name);
    });
  };

  return (
    <li className={`tool-server is-${status}`} aria-labelledby={ids.name} data-testid="tool-server">
      <div className="tool-server-head">
        <h3 id={ids.name} className="tool-server-name">
          {server.name}
        </h3>
        <span className={badgeClass[status]} data-testid="tool-server-status">
          {status === 'starting' ? <span className="spinner" aria-hidden="true" /> : null}
          {t(`tools.status.${status}`)}
        </span>
        {server.serverInfo ? (
          <span className="muted tool-server-info">
            {server.serverInfo.name} {server.serverInfo.version}
          </span>
        ) : null}
      </div>
      {editing ? (
        <ServerForm
          mode="edit"
          server={server}
          onCancel={closeEdit}
          onSaved={(saved, previousName) => {
            onEdited(saved, previousName);
            closeEdit();
          }}
        />
      ) : (
        <div className="tool-server-config">
          <TransportLine server={server} />
          <button
            ref={editButton}
            type="button"
            className="button"
            aria-label={t('tools.edit.openOf', { name: server.name })}
            onClick={() => setEditing(true)}
          >
            {t('tools.edit.open')}
          </button>
        </div>
      )}
      <div className="button-row tool-server-actions">
        <label className="settings-toggle" htmlFor={ids.enabled}>
          <input
            id={ids.enabled}
            type="checkbox"
            checked={wantEnabled ?? server.enabled}
            disabled={action !== null}
            aria-busy={action === 'enable'}
            onChange={(event) => void setEnabled(event.target.checked)}
          />
          {t('tools.enabled')}
        </label>
        <button
          type="button"
          className="button"
          onClick={() => void restart()}
          disabled={action !== null || !server.enabled}
          aria-busy={action === 'restart'}
        >
          {action === 'restart' ? <span className="spinner" aria-hidden="true" /> : null}
          {action === 'restart'
            ? t('tools.restarting')
            : server.status === 'stopped'
              ? t('tools.start')
              : t('tools.restart')}
        </button>
        {server.signIn && (server.status === 'needs-sign-in' || waitingForBrowser) ? (
          <button
            type="button"
            className="button button-primary"
            onClick={() => void signIn()}
            disabled={action !== null && action !== 'signIn'}
            aria-busy={waitingForBrowser}
          >
            {waitingForBrowser ? <span className="spinner" aria-hidden="true" /> : null}
            {waitingForBrowser ? t('tools.signingIn') : t('tools.signIn')}
          </button>
        ) : null}
        {server.signIn?.signedIn && !waitingForBrowser ? (
          <button
            type="button"
            className="button"
            onClick={() => void signOut()}
            disabled={action !== null}
            aria-busy={action === 'signOut'}
          >
            {action === 'signOut' ? <span className="spinner" aria-hidden="true" /> : null}
            {t('tools.signOut')}
          </button>
        ) : null}
        <button
          type="button"
          className="button button-quiet-danger"
          onClick={() => setConfirming(true)}
          disabled={action !== null}
          aria-busy={action === 'remove'}
        >
          {t('tools.remove')}
        </button>
      </div>
      {server.status === 'failed' && server.error ? (
        <div className="tool-server-failure" role="alert">
          <p className="error-message">{messageFor(server.error)}</p>
          {server.stderrTail.length > 0 ? (
            <details className="tool-stderr">
              <summary>{t('tools.stderr', { count: server.stderrTail.length })}</summary>
              <pre>{server.stderrTail.join('\n')}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
      {waitingForBrowser ? (
        <p className="muted" role="status">
          {t('tools.signInWaiting')}
        </p>
      ) : server.status === 'needs-sign-in' ? (
        <div className="notice notice-warn" role="status" data-testid="tool-server-sign-in">
          <p>{t('tools.signInNeeded')}</p>
          {server.error && server.error.code !== 'mcp_needs_sign_in' ? (
            <p className="error-message">{messageFor(server.error)}</p>
          ) : null}
        </div>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {server.tools.length > 0 ? (
        <details className="tool-list-details">
          <summary>{t('tools.toolCount', { count: server.tools.length })}</summary>
          <ul className="tool-list">
            {server.tools.map((tool) => (
              <ToolItem
                key={tool.name}
                tool={tool}
                tryOn={server.name}
                autoApproved={server.autoApprove.includes(tool.name)}
                onAuto={async (auto) =>
                  onServer(await call('tools.setAutoApprove', { name: server.name, tool: tool.name, auto }))
                }
              />
            ))}
          </ul>
        </details>
      ) : server.status === 'ready' ? (
        <p className="muted">{server.toolsListed ? t('tools.noTools') : t('tools.readingTools')}</p>
      ) : null}
      <Modal
        open={confirming}
        labelledBy={ids.confirmTitle}
        describedBy={ids.confirmBody}
        onClose={() => setConfirming(false)}
      >
        <h2 id={ids.confirmTitle}>{t('tools.removeTitle', { name: server.name })}</h2>
        <p id={ids.confirmBody} className="muted">
          {t('tools.removeBody')}
        </p>
        <div className="button-row dialog-actions">
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            {t('tools.cancel')}
          </button>
          <button type="button" className="button button-danger" onClick={remove}>
            {t('tools.removeConfirm')}
          </button>
        </div>
      </Modal>
    </li>
  );
}
