import { useCallback, useState } from 'react';
import { useLeaveGuard } from '../../ui/use-draft';

/** The side panel beside the graph: an entity, a link, or a link being made between two entities. */
export type Panel = { kind: 'entity'; id: string } | { kind: 'link'; id: string; notice?: string } | { kind: 'new-link'; from: string; to: string } | null;

export function usePanel() {
  const [panel, setPanelNow] = useState<Panel>(null);
  // Another entity or link waits until unsaved typing in the panel is saved or discarded.
  const guard = useLeaveGuard();
  const setPanel = useCallback((next: Panel) => guard.leave(() => setPanelNow(next)), [guard]);
  return { panel, setPanel, guard };
}
