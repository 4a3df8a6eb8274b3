import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppState } from '../../shared/contract';
import type { CaseDetails } from '../../shared/schemas';
import { api, errorMessage, onMenuCommand } from './api';
import { CaseHeader } from './components/CaseHeader';
import { CommandPalette } from './components/CommandPalette';
import { ItemDialog } from './components/ItemDialog';
import { InvestigatorPrompt } from './components/InvestigatorPrompt';
import { Welcome } from './components/Welcome';
import { caseFilters, NO_FILTERS } from './filters';
import { VIEWS, viewFromHash, type ViewId } from './routes';
import { isShortcutCommand } from '../../shared/shortcuts';
import { runFromMenu, shortcutProps, VIEW_COMMANDS } from './shortcuts';
import { OverviewView } from './views/OverviewView';
import { GraphView } from './views/GraphView';
import { isModelView, ModelView } from './views/ModelViews';
import { ReportsView } from './views/ReportsView';
import { SearchView } from './views/SearchView';
import { SourcesView } from './views/SourcesView';
import { TimelineView } from './views/TimelineView';
import { ExchangeView } from './views/ExchangeView';

/** The main view of an open case; the key resets a view's state when another case opens. */
function renderView(view: ViewId, details: CaseDetails, onCaseChanged: () => void) {
  const key = details.caseId;
  if (isModelView(view)) return <ModelView key={key} view={view} />;
  switch (view) {
    case 'overview':
      return <OverviewView key={key} description={details.description} marking={details.marking} onCaseChanged={onCaseChanged} />;
    case 'sources':
      return <SourcesView key={key} />;
    case 'search':
      return <SearchView key={key} />;
    case 'graph':
      return <GraphView key={key} caseId={key} marking={details.marking} />;
    case 'timeline':
      return <TimelineView key={key} caseId={key} />;
    case 'reports':
      return <ReportsView key={key} caseTitle={details.title} marking={details.marking} />;
    case 'exchange':
      return <ExchangeView key={key} />;
  }
}

export function App() {
  const [state, setState] = useState<AppState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [view, setView] = useState<ViewId>(() => viewFromHash(window.location.hash));

  const shownCaseId = useRef<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const next = await api.call('app.state', {});
      // Filters name one case's areas and types: another case starts unfiltered.
      const nextCaseId = next.case?.caseId ?? null;
      if (nextCaseId !== shownCaseId.current) caseFilters.set(NO_FILTERS);
      shownCaseId.current = nextCaseId;
      setState(next);
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
      if (isShortcutCommand(command)) runFromMenu(command);
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
            <a key={v.id} href={`#/${v.id}`} className={v.id === view ? 'active' : undefined} aria-current={v.id === view ? 'page' : undefined} {...shortcutProps(VIEW_COMMANDS[v.id], `Go to ${v.label}`)}>
              {v.label}
            </a>
          ))}
        </nav>
        <main className="app-main">
          {renderView(view, state.case, () => void refresh())}
        </main>
      </div>
      <CommandPalette />
      <ItemDialog />
    </div>
  );
}
