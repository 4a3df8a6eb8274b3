/**
 * The parts of a case a view can depend on. A change to the case is named by
 * the domains it touches, so each view refetches only for what it shows.
 */
export const CASE_DOMAINS = ['evidence', 'model', 'areas', 'reports', 'case'] as const;
export type CaseDomain = (typeof CASE_DOMAINS)[number];

/** What changed in the case since a version the asker saw. */
export interface CaseChanges {
  /** Grows with every recorded change; compare, never do arithmetic with it. */
  version: number;
  /** The domains changed after `since` (every domain when the asker is too far behind or on another case). */
  domains: CaseDomain[];
}

const ITEM_DOMAINS: Record<string, readonly CaseDomain[]> = {
  source: ['evidence'],
  excerpt: ['evidence'],
  attachment: ['evidence'],
  // Views of entities and links show what they cite and the case's counts.
  entity: ['model'],
  link: ['model'],
  citation: ['model', 'evidence'],
  sanction: ['model'],
  area: ['areas', 'model', 'evidence'],
  report: ['reports'],
  case: ['case'],
};

/** The domains one audit event touches; an event nobody mapped touches them all, so no view stays stale. */
export function domainsOfEvent(action: string, itemType: string): readonly CaseDomain[] {
  if (action === 'merge' && itemType === 'case') return CASE_DOMAINS;
  const domains = ITEM_DOMAINS[itemType] ?? CASE_DOMAINS;
  // Tagging changes the areas' counts as well as the tagged item.
  return action === 'tag' || action === 'untag' ? [...domains, 'areas'] : domains;
}
