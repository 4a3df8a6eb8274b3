import type { Confidence } from './model';
import type { ReliabilityGrade } from './schemas';

export interface GradedCitation {
  sourceId: string;
  reliability: ReliabilityGrade;
  credibility: number;
}

/** "B2": the source's reliability (A to F) and the excerpt's credibility (1 to 6), the Admiralty grade. */
export function admiraltyGrade(reliability: ReliabilityGrade, credibility: number): string {
  return `${reliability}${credibility}`;
}

/**
 * How far one citation carries a claim: high for a usually reliable source
 * saying something probably true (A or B with 1 or 2), moderate for a fairly
 * reliable source and possibly true information (up to C and 3), low for the
 * rest, including grades that cannot be judged (F, 6).
 */
export function citationStrength(reliability: ReliabilityGrade, credibility: number): Confidence {
  const source = 'ABCDEF'.indexOf(reliability);
  if (source <= 1 && credibility <= 2) return 'high';
  if (source <= 2 && credibility <= 3) return 'moderate';
  return 'low';
}

const ORDER: Record<Confidence, number> = { low: 0, moderate: 1, high: 2 };

/**
 * The confidence a claim's citations support when the analyst has not set one:
 * the strongest single citation, raised from moderate to high when at least two
 * different sources each give moderate support. Null when nothing is cited.
 */
export function deriveConfidence(citations: readonly GradedCitation[]): Confidence | null {
  if (citations.length === 0) return null;
  let best: Confidence = 'low';
  const moderateSources = new Set<string>();
  for (const c of citations) {
    const strength = citationStrength(c.reliability, c.credibility);
    if (ORDER[strength] > ORDER[best]) best = strength;
    if (ORDER[strength] >= ORDER.moderate) moderateSources.add(c.sourceId);
  }
  if (best === 'moderate' && moderateSources.size >= 2) return 'high';
  return best;
}
