import './tools-section.css';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../ui/errors';
import { BuiltinToolsItem } from './BuiltinToolsItem';
import { ImportServersForm } from './ImportServersForm';
import { ServerForm } from './ServerForm';
import { ToolServerItem } from './ToolServerItem';
import { useToolServers } from './useToolServers';

/** Settings → Tools: the MCP servers chats may use, their status and tools, and adding more. */
export function ToolsSection() {
  const { t } = useTranslation('settings');
  const servers = useToolServers();
  const ids = { title: useId(), list: useId() };
  const [renamed, setRenamed] = useState<string | null>(null);

  return (
    <section className="card tools-section" aria-labelledby={ids.title} data-testid="tools-section">
      <div className="card-header">
        <h2 id={ids.title}>{t('tools.title')}</h2>
        <p className="muted">{t('tools.description')}</p>
      </div>
      <BuiltinToolsItem />
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
              focusEdit={renamed === server.name}
              onEdited={(server, previousName) => {
                if (previousName !== server.name) {
                  servers.forget(previousName);
                  setRenamed(server.name);
                }
                servers.replace(server);
              }}
            />
          ))}
        </ul>
      ) : null}
      <div className="tools-add">
        <ServerForm
          mode="add"
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
