import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppState } from '../../../shared/contract';
import type { CaseDetails } from '../../../shared/schemas';
import { api, errorMessage, onMenuCommand } from '../ui/api';
import { CaseHeader } from './CaseHeader';
import { CommandPalette } from './CommandPalette';
import { ItemDialog } from './ItemDialog';
import { InvestigatorPrompt } from './InvestigatorPrompt';
import { Welcome } from './Welcome';
import { useChangeWatcher, useInvalidated } from '../ui/data';
import { caseFilters, NO_FILTERS } from '../ui/filters';
import { VIEWS, viewFromHash, type ViewId } from '../ui/routes';
import { isShortcutCommand } from '../../../shared/shortcuts';
import { runFromMenu, shortcutProps, VIEW_COMMANDS } from '../ui/shortcuts';
import { OverviewView } from './OverviewView';
import { GraphView } from '../graph/GraphView';
import { isModelView, ModelView } from './ModelViews';
import { ReportsView } from '../reports/ReportsView';
import { SearchView } from '../evidence/SearchView';
import { SourcesView } from '../evidence/SourcesView';
import { TimelineView } from '../graph/TimelineView';
import { ExchangeView } from '../exchange/ExchangeView';
import { ScreeningView } from '../screening/ScreeningView';
import { EntityPanel } from '../model/EntityPanel';
import { LinkPanel } from '../model/LinkPanel';
import { ItemPanelsProvider, type ItemPanels } from '../ui/item-panels';

/** The model's side panels, for views of other domains that open them. */
const MODEL_PANELS: ItemPanels = {
  entity: (props) => <EntityPanel {...props} />,
  link: (props) => <LinkPanel {...props} />,
};

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
      return (
        <ItemPanelsProvider key={key} value={MODEL_PANELS}>
          <SearchView />
        </ItemPanelsProvider>
      );
    case 'graph':
      return (
        <ItemPanelsProvider key={key} value={MODEL_PANELS}>
          <GraphView caseId={key} marking={details.marking} />
        </ItemPanelsProvider>
      );
    case 'timeline':
      return <TimelineView key={key} caseId={key} />;
    case 'reports':
      return <ReportsView key={key} caseTitle={details.title} marking={details.marking} />;
    case 'exchange':
      return <ExchangeView key={key} />;
    case 'screening':
      return <ScreeningView key={key} />;
  }
}

export function App() {
  const [state, setState] = useState<AppState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [view, setView] = useState<ViewId>(() => viewFromHash(window.location.hash));

  const shownCaseId = useRef<string | null>(null);
  const loadedOnce = useRef(false);

  const refresh = useCallback(async () => {
    try {
      const next = await api.call('app.state', {});
      // Filters name one case's areas and types: another case starts unfiltered.
      const nextCaseId = next.case?.caseId ?? null;
      if (nextCaseId !== shownCaseId.current) {
        caseFilters.set(NO_FILTERS);
        // Another case (new, opened or the sample) starts on its Overview; reloading the page keeps the view.
        if (loadedOnce.current && nextCaseId !== null) window.location.hash = '#/overview';
      }
      loadedOnce.current = true;
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

  // The title and handling marking may change in another window or from the command line.
  useChangeWatcher(state?.case?.caseId ?? null);
  useInvalidated(['case'], () => void refresh());

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
