/**
 * Requests for a tool inside a view, made from outside it (the command palette): "show the path bar",
 * "open the ranking". The request waits until the view is there to take it, so a palette action can go to
 * the view and open the tool in one step.
 */
export type ViewTool = 'graph-path' | 'graph-ranking' | 'sources-import' | 'exchange-import' | 'switch-case' | 'help';

let pending: ViewTool | null = null;
const listeners = new Set<(tool: ViewTool) => void>();

/** Asks for a tool; the view that offers it takes the request now, or when it next mounts. */
export function requestTool(tool: ViewTool): void {
  pending = tool;
  for (const listener of listeners) listener(tool);
}

/** Takes the pending request for one of these tools, if there is one; null otherwise. */
export function takeRequest(tools: readonly ViewTool[]): ViewTool | null {
  if (pending === null || !tools.includes(pending)) return null;
  const tool = pending;
  pending = null;
  return tool;
}

/** Calls back when one of these tools is asked for while the view is open (and once for a request made before it opened). */
export function onToolRequest(tools: readonly ViewTool[], callback: (tool: ViewTool) => void): () => void {
  const listener = (tool: ViewTool) => {
    if (tools.includes(tool) && takeRequest([tool])) callback(tool);
  };
  listeners.add(listener);
  const waiting = takeRequest(tools);
  if (waiting) queueMicrotask(() => callback(waiting));
  return () => listeners.delete(listener);
}
