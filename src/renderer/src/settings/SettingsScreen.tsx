import './settings.css';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { Profile } from '../../../shared/profiles';
import { type ProfilesHandle, useTokenStatus } from '../hooks';
import { ErrorNote } from '../ui/errors';
import { AppearanceSection } from './AppearanceSection';
import { ConnectionTest } from './ConnectionTest';
import { DataSection } from './DataSection';
import { DiagnosticsSection } from './DiagnosticsSection';
import { EndpointOverridesSection } from './EndpointOverrides';
import { GatewaySection } from './GatewaySection';
import { IndexSection } from './IndexSection';
import { LanguageSection } from './LanguageSection';
import { ModelTitlesSection } from './ModelTitlesSection';
import { PricesSection } from './PricesSection';
import { ProfileSection } from './ProfileSection';
import { withProfile } from './profileState';
import { SourceEditorSection } from './SourceEditorSection';
import { SpellcheckSection } from './SpellcheckSection';
import { SyncSection } from './SyncSection';
import { TokenSection } from './TokenSection';
import { ToolsSection } from './ToolsSection';

type Props = {
  profiles: ProfilesHandle;
  /** Whether the active profile has a token; null while unknown. */
  activeTokenSet: boolean | null;
};

export function SettingsScreen({ profiles, activeTokenSet }: Props) {
  const { t } = useTranslation('settings');
  const state = profiles.value;
  const [selectedId, setSelectedId] = useState<string | null>(state?.activeId ?? null);
  const selected =
    state?.profiles.find((profile) => profile.id === selectedId) ??
    state?.profiles.find((profile) => profile.id === state.activeId) ??
    state?.profiles[0] ??
    null;
  const token = useTokenStatus(selected?.id ?? null);

  const onProfileSaved = (profile: Profile) => {
    if (state) profiles.replace(withProfile(state, profile));
  };

  return (
    <section className="screen" aria-labelledby="settings-title">
      <header className="screen-header">
        <h1 id="settings-title">{t('screen.title')}</h1>
        <p className="muted">{t('screen.description')}</p>
      </header>

      {activeTokenSet === false ? (
        <div className="notice notice-info">
          <p>
            <Trans t={t} i18nKey="screen.getStarted" components={{ strong: <strong /> }} />
          </p>
        </div>
      ) : null}

      {profiles.error ? (
        <div className="card">
          <ErrorNote error={profiles.error} />
        </div>
      ) : null}
      {profiles.loading ? <p className="muted">{t('screen.loadingProfiles')}</p> : null}

      {state ? (
        <div className="cards">
          <ProfileSection
            state={state}
            selected={selected}
            onSelect={setSelectedId}
            onState={profiles.replace}
          />
          {selected ? (
            <>
              {/* Keyed by profile: drafts, errors and test results belong to one profile. */}
              <TokenSection
                key={`token-${selected.id}`}
                profileId={selected.id}
                token={token}
                onStatus={token.replace}
              />
              <GatewaySection
                key={`gateway-${selected.id}`}
                profile={selected}
                tokenSet={token.value?.set ?? false}
                onSaved={onProfileSaved}
              />
              <ConnectionTest
                key={`test-${selected.id}`}
                profileId={selected.id}
                tokenSet={token.value?.set ?? false}
              />
              <EndpointOverridesSection
                key={`paths-${selected.id}`}
                profile={selected}
                onSaved={onProfileSaved}
              />
            </>
          ) : null}
        </div>
      ) : null}
      <ToolsSection />
      <LanguageSection />
      <AppearanceSection />
      <SpellcheckSection />
      <ModelTitlesSection />
      <SourceEditorSection />
      <PricesSection />
      <IndexSection />
      <SyncSection />
      <DataSection />
      <DiagnosticsSection />
    </section>
  );
}
