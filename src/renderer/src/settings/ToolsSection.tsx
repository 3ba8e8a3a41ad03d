import './tools-section.css';
import { useId } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { BUILTIN_TOOL_SERVER } from '../../../shared/tools';
import { ErrorNote } from '../ui/errors';
import { AddServerForm } from './AddServerForm';
import { ImportServersForm } from './ImportServersForm';
import { ToolServerItem } from './ToolServerItem';
import { useToolServers } from './useToolServers';

/** Settings → Tools: the MCP servers chats may use, their status and tools, and adding more. */
export function ToolsSection() {
  const { t } = useTranslation('settings');
  const servers = useToolServers();
  const ids = { title: useId(), list: useId() };

  return (
    <section className="card tools-section" aria-labelledby={ids.title} data-testid="tools-section">
      <div className="card-header">
        <h2 id={ids.title}>{t('tools.title')}</h2>
        <p className="muted">{t('tools.description')}</p>
      </div>
      <div className="notice notice-info tools-builtin">
        <p>
          <Trans
            t={t}
            i18nKey="tools.builtinNote"
            values={{ name: BUILTIN_TOOL_SERVER }}
            components={{ code: <code /> }}
          />
        </p>
      </div>
      {servers.error ? (
        <div className="stack">
          <ErrorNote error={servers.error} />
          <div className="button-row">
            <button type="button" className="button" onClick={servers.reload} disabled={servers.loading}>
              {t('tools.retry')}
            </button>
          </div>
        </div>
      ) : null}
      {servers.loading && !servers.servers ? <p className="muted">{t('tools.loading')}</p> : null}
      {servers.servers && servers.servers.length === 0 ? <p className="muted">{t('tools.empty')}</p> : null}
      {servers.servers && servers.servers.length > 0 ? (
        <ul className="tool-servers" aria-label={t('tools.listLabel')} id={ids.list}>
          {servers.servers.map((server) => (
            <ToolServerItem
              key={server.name}
              server={server}
              onServer={servers.replace}
              onRemoved={servers.forget}
            />
          ))}
        </ul>
      ) : null}
      <div className="tools-add">
        <AddServerForm
          onAdded={(server) => {
            servers.replace(server);
            servers.connect();
          }}
        />
        <ImportServersForm onImported={servers.connect} />
      </div>
    </section>
  );
}
