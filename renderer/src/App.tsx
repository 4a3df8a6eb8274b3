import { useCallback, useEffect, useState } from 'react';
import type { AppState } from '../../shared/contract';
import { api, errorMessage, onMenuCommand } from './api';
import { CaseHeader } from './components/CaseHeader';
import { InvestigatorPrompt } from './components/InvestigatorPrompt';
import { Welcome } from './components/Welcome';
import { VIEWS, viewFromHash, type ViewId } from './routes';
import { EmptyView } from './views/EmptyView';
import { GraphView } from './views/GraphView';
import { isModelView, ModelView } from './views/ModelViews';
import { ReportsView } from './views/ReportsView';
import { SearchView } from './views/SearchView';
import { SourcesView } from './views/SourcesView';
import { TimelineView } from './views/TimelineView';
import { ExchangeView } from './views/ExchangeView';

export function App() {
  const [state, setState] = useState<AppState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [view, setView] = useState<ViewId>(() => viewFromHash(window.location.hash));

  const refresh = useCallback(async () => {
    try {
      setState(await api.call('app.state', {}));
      setLoadError(null);
    } catch (error) {
      setLoadError(errorMessage(error));
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onMenuCommand((command) => {
      if (command === 'case-changed') void refresh();
      if (command === 'merge-case') window.location.hash = '#/exchange';
    });
  }, [refresh]);

  useEffect(() => {
    const onHash = () => setView(viewFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const openCase = state?.case;
  useEffect(() => {
    document.title = openCase ? `${openCase.title} — ${openCase.fileName} — Caseboard` : 'Caseboard';
  }, [openCase]);

  if (loadError) {
    return (
      <main className="fatal" role="alert">
        <h1>Caseboard cannot start</h1>
        <p>{loadError}</p>
        <button type="button" onClick={() => void refresh()}>
          Try again
        </button>
      </main>
    );
  }
  if (!state) return <main className="loading">Opening Caseboard…</main>;
  if (!state.case) {
    return (
      <>
        {state.investigator === null ? <InvestigatorPrompt defaultName={state.defaultInvestigator} onDone={() => void refresh()} /> : null}
        <Welcome state={state} onOpened={refresh} />
      </>
    );
  }

  return (
    <div className="app">
      <CaseHeader details={state.case} door={state.door} onChanged={refresh} />
      {state.investigator === null ? <InvestigatorPrompt defaultName={state.defaultInvestigator} onDone={() => void refresh()} /> : null}
      <div className="app-body">
        <nav className="app-nav" aria-label="Views">
          {VIEWS.map((v) => (
            <a key={v.id} href={`#/${v.id}`} className={v.id === view ? 'active' : undefined} aria-current={v.id === view ? 'page' : undefined}>
              {v.label}
            </a>
          ))}
        </nav>
        <main className="app-main">
          {view === 'sources' ? <SourcesView key={state.case.caseId} /> : view === 'search' ? <SearchView key={state.case.caseId} /> : isModelView(view) ? <ModelView key={state.case.caseId} view={view} /> : view === 'graph' ? <GraphView key={state.case.caseId} caseId={state.case.caseId} marking={state.case.marking} /> : view === 'timeline' ? <TimelineView key={state.case.caseId} caseId={state.case.caseId} /> : view === 'reports' ? <ReportsView key={state.case.caseId} caseTitle={state.case.title} marking={state.case.marking} /> : view === 'exchange' ? <ExchangeView key={state.case.caseId} /> : <EmptyView view={view} />}
        </main>
      </div>
    </div>
  );
}
