import { useCallback, useEffect, useId, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/errors';
import { BUILTIN_TOOL_SERVER } from '../../../shared/tools';
import type { BuiltinToolsView } from '../../../shared/tools-channels';
import { call, toAppError } from '../hub';
import { ErrorNote } from '../ui/errors';
import { ToolItem } from './ToolItem';

/** HubDesk's own tools (server `hubdesk`): always there, each with "run without asking". */
export function BuiltinToolsItem() {
  const { t } = useTranslation('settings');
  const [view, setView] = useState<BuiltinToolsView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const ids = { name: useId() };

  const load = useCallback(() => {
    setError(null);
    call('tools.builtin', {})
      .then(setView)
      .catch((cause: unknown) => setError(toAppError(cause)));
  }, []);
  useEffect(load, [load]);

  return (
    <section className="tool-server tools-builtin" aria-labelledby={ids.name} data-testid="builtin-tools">
      <div className="tool-server-head">
        <h3 id={ids.name} className="tool-server-name">
          {BUILTIN_TOOL_SERVER}
        </h3>
        <span className="badge badge-good">{t('tools.builtinBadge')}</span>
      </div>
      <p className="muted">
        <Trans
          t={t}
          i18nKey="tools.builtinNote"
          values={{ name: BUILTIN_TOOL_SERVER }}
          components={{ code: <code /> }}
        />
      </p>
      {error ? (
        <div className="stack">
          <ErrorNote error={error} />
          <div className="button-row">
            <button type="button" className="button" onClick={load}>
              {t('tools.retry')}
            </button>
          </div>
        </div>
      ) : null}
      {view && view.tools.length > 0 ? (
        <details className="tool-list-details">
          <summary>{t('tools.toolCount', { count: view.tools.length })}</summary>
          <ul className="tool-list">
            {view.tools.map((tool) => (
              <ToolItem
                key={tool.name}
                tool={tool}
                tryOn={BUILTIN_TOOL_SERVER}
                autoApproved={view.autoApprove.includes(tool.name)}
                onAuto={async (auto) =>
                  setView(await call('tools.setBuiltinAutoApprove', { tool: tool.name, auto }))
                }
              />
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
