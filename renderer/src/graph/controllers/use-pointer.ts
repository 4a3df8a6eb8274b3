import { useEffect, useRef, useState, type RefObject } from 'react';
import type { Highlight } from '../display';
import type { CanvasEvents } from '../GraphCanvas';
import { caseGraph } from '../store';
import type { Panel } from './use-panel';
import { savePositions } from './use-layout';

/** A "Link to…", "Path from here…" or "Path to here…" waiting for the click on its other entity. */
export type Pending = { kind: 'link' | 'path' | 'path-to'; from: string } | null;
type AtPoint = { node: string; x: number; y: number } | null;
type EdgeAtPoint = { edge: string; x: number; y: number } | null;

interface PointerActions {
  highlight: RefObject<Highlight>;
  select: (nodes: ReadonlySet<string>) => void;
  setPanel: (next: Panel) => void;
  showPath: (from: string, to: string) => void;
  expandAround: (node: string) => void;
}

/** What clicks, drags and hovers on the canvas do: select, open, link, lasso, the entity menu and its pending steps. */
export function useCanvasPointer({ highlight, select, setPanel, showPath, expandAround }: PointerActions) {
  const [linking, setLinking] = useState(false);
  const [lassoMode, setLassoMode] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [menu, setMenuNow] = useState<AtPoint>(null);
  const [linkMenu, setLinkMenu] = useState<EdgeAtPoint>(null);
  const [hover, setHover] = useState<AtPoint>(null);
  // A menu or panel opening takes the eye off the entity under the pointer: its card goes.
  const setMenu = (next: AtPoint) => {
    setMenuNow(next);
    setLinkMenu(null);
    if (next) setHover(null);
  };
  const openPanel = (next: Panel) => {
    setPanel(next);
    if (next) setHover(null);
  };
  // The canvas asks through these while a drag is under way, between renders.
  const linkingRef = useRef(linking);
  linkingRef.current = linking;
  const lassoRef = useRef(lassoMode);
  lassoRef.current = lassoMode;
  const pendingRef = useRef(pending);
  pendingRef.current = pending;

  // The canvas keeps one events object; it always calls the handlers of the latest render.
  const events = useRef<CanvasEvents>({
    onNodeClick: () => undefined,
    onNodeDoubleClick: () => undefined,
    onNodeRightClick: () => undefined,
    onEdgeRightClick: () => undefined,
    onStageClick: () => undefined,
    onNodeMoved: () => undefined,
    onLinkDrawn: () => undefined,
    onHover: () => undefined,
    onLasso: () => undefined,
    linking: () => false,
    lassoing: () => false,
  });
  events.current = {
    onNodeClick: (node, shift) => {
      setMenu(null);
      const p = pendingRef.current;
      if (p) {
        setPending(null);
        if (p.kind === 'link' && p.from !== node) openPanel({ kind: 'new-link', from: p.from, to: node });
        if (p.kind === 'path') showPath(p.from, node);
        if (p.kind === 'path-to') showPath(node, p.from);
        return;
      }
      if (shift) {
        const next = new Set(highlight.current.selected);
        if (next.has(node)) next.delete(node);
        else next.add(node);
        select(next);
        return;
      }
      select(new Set([node]));
      openPanel({ kind: 'entity', id: node });
    },
    onNodeDoubleClick: (node) => expandAround(node),
    onNodeRightClick: (node, x, y) => setMenu({ node, x, y }),
    onEdgeRightClick: (edge, x, y) => {
      setMenu(null);
      setHover(null);
      setLinkMenu({ edge, x, y });
    },
    onStageClick: () => {
      setMenu(null);
      setPending(null);
      if (highlight.current.selected.size) select(new Set());
    },
    onNodeMoved: (node) => {
      caseGraph.setNodeAttribute(node, 'fixed', true);
      savePositions([node]);
    },
    onLinkDrawn: (from, to) => openPanel({ kind: 'new-link', from, to }),
    onHover: (node, x, y) => setHover(node ? { node, x, y } : null),
    onLasso: (nodes, add) => {
      setMenu(null);
      setPending(null);
      select(new Set([...(add ? highlight.current.selected : []), ...nodes]));
    },
    linking: () => linkingRef.current,
    lassoing: () => lassoRef.current,
  };

  // Esc closes the entity menu and drops a half-made "Link to…" or "Show path to…".
  useEffect(() => {
    if (!menu && !pending) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setMenuNow(null);
      setPending(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menu, pending]);

  return {
    events,
    menu,
    /** Opens the entity menu at a point in the canvas (from the keyboard: at the entity). */
    openMenu: setMenu,
    closeMenu: () => setMenuNow(null),
    linkMenu,
    closeLinkMenu: () => setLinkMenu(null),
    hover,
    pending,
    setPending,
    linking,
    toggleLinking: () => (setLinking((v) => !v), setLassoMode(false)),
    lassoMode,
    toggleLasso: () => (setLassoMode((v) => !v), setLinking(false)),
  };
}
