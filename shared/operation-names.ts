/**
 * Every operation's name. Kept apart from the schemas so the sandboxed preload
 * can check names without bundling the validator; contract.ts proves the two agree.
 */
export const OPERATION_NAMES = [
  'app.state',
  'app.newCase',
  'app.openCase',
  'app.openSample',
  'app.closeCase',
  'app.setInvestigator',
  'app.saveCopy',
  'case.get',
  'case.update',
  'case.info',
  'sources.page',
  'sources.get',
  'sources.create',
  'sources.update',
  'sources.delete',
  // sharing
  'share.exportCase',
  // evidence: attachments, excerpts, search
  'attachments.add',
  'attachments.list',
  'attachments.get',
  'attachments.text',
  'attachments.content',
  'attachments.export',
  'attachments.delete',
  'excerpts.list',
  'excerpts.get',
  'excerpts.create',
  'excerpts.update',
  'excerpts.delete',
  'search.query',
  // case model: entities, links, citations, technology areas, history
  'entities.page',
  'entities.get',
  'entities.create',
  'entities.update',
  'entities.delete',
  'entities.search',
  'entities.duplicates',
  'entities.merge',
  'entities.links',
  'links.page',
  'links.get',
  'links.create',
  'links.update',
  'links.delete',
  'links.types',
  'citations.add',
  'citations.remove',
  'citations.excerpts',
  'citations.excerpt',
  'areas.list',
  'areas.create',
  'areas.update',
  'areas.merge',
  'areas.delete',
  'areas.tag',
  'areas.untag',
  'areas.ofItem',
  'history.page',
  'history.state',
  'history.undo',
  'history.redo',
  // graph and timeline
  'graph.load',
  'graph.savePositions',
  'graph.clearPositions',
  'graph.saveMetrics',
  'graph.metrics',
  // briefings
  'reports.list',
  'reports.get',
  'reports.create',
  'reports.update',
  'reports.delete',
  'reports.preview',
  'reports.render',
  'reports.export',
  // merge
  'merge.plan',
  'merge.apply',
  // exchange formats
  'exchange.previewCsv',
  'exchange.importCsv',
  'exchange.importFtm',
  'exchange.export',
] as const;

export type OperationName = (typeof OPERATION_NAMES)[number];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && (OPERATION_NAMES as readonly string[]).includes(name);
}
