/**
 * Every operation's name. Kept apart from the schemas so the sandboxed preload
 * can check names without bundling the validator; contract.ts proves the two agree.
 */
export const OPERATION_NAMES = [
  'app.state',
  'app.newCase',
  'app.openCase',
  'app.closeCase',
  'app.saveCopy',
  'case.get',
  'case.update',
  'case.info',
  'sources.page',
  'sources.get',
  'sources.create',
  'sources.update',
  'sources.delete',
  // evidence: attachments, excerpts, search
  // case model: entities, links, citations, technology areas, history
] as const;

export type OperationName = (typeof OPERATION_NAMES)[number];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && (OPERATION_NAMES as readonly string[]).includes(name);
}
