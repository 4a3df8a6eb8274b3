import type { Confidence } from './model';
import type { ReliabilityGrade } from './schemas';

/** Whether a cited excerpt bears the claim out or speaks against it. */
export const CITATION_STANCES = ['supports', 'contradicts'] as const;
export type CitationStance = (typeof CITATION_STANCES)[number];

export interface GradedCitation {
  sourceId: string;
  reliability: ReliabilityGrade;
  credibility: number;
  /** Supports unless cited as contradicting the claim. */
  stance?: CitationStance;
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
const LEVELS: readonly Confidence[] = ['low', 'moderate', 'high'];

/** What a derived confidence rests on, so that it can be shown beside the level. */
export interface ConfidenceBasis {
  level: Confidence;
  /** Independent sources that support the claim: excerpts of one source count once. */
  sources: number;
  /** The best grade each supporting source gives, strongest first (e.g. ["B2", "C3"]). */
  grades: string[];
  /** Independent sources cited as contradicting the claim. */
  contradicting: number;
  contradictingGrades: string[];
}

interface SourceBest {
  strength: Confidence;
  grade: string;
  rank: number;
}

/** Each source once, with the strongest citation it gives; sorted strongest first. */
function bestPerSource(citations: readonly GradedCitation[]): SourceBest[] {
  const bySource = new Map<string, SourceBest>();
  for (const c of citations) {
    const strength = citationStrength(c.reliability, c.credibility);
    // Higher strength first, then the better grade: A before B, 1 before 2.
    const rank = ORDER[strength] * 100 - 'ABCDEF'.indexOf(c.reliability) * 10 - c.credibility;
    const seen = bySource.get(c.sourceId);
    if (!seen || rank > seen.rank) bySource.set(c.sourceId, { strength, grade: admiraltyGrade(c.reliability, c.credibility), rank });
  }
  return [...bySource.values()].sort((a, b) => b.rank - a.rank);
}

/**
 * The confidence a claim's citations support when the analyst has not set one, and what it rests on.
 *
 * Sources are counted, not excerpts: two excerpts of one article are one source. One source alone never
 * gives high confidence, however good its grade: at most moderate, and low when its grade is weak. High
 * needs corroboration: a strong source (A or B, 1 or 2) and a second source of at least moderate strength,
 * or three sources of moderate strength. A source cited as contradicting the claim, at moderate strength or
 * better, lowers the level by one step (two when contradicting sources are as many as supporting ones).
 * Null when nothing is cited.
 */
export function assessConfidence(citations: readonly GradedCitation[]): ConfidenceBasis | null {
  if (citations.length === 0) return null;
  const supporting = bestPerSource(citations.filter((c) => (c.stance ?? 'supports') === 'supports'));
  const contradicting = bestPerSource(citations.filter((c) => c.stance === 'contradicts'));
  const strong = supporting.filter((s) => s.strength === 'high').length;
  const fair = supporting.filter((s) => ORDER[s.strength] >= ORDER.moderate).length;
  let level = 0;
  if ((strong >= 1 && fair >= 2) || fair >= 3) level = 2;
  else if (fair >= 1) level = 1;
  const weighty = contradicting.filter((s) => ORDER[s.strength] >= ORDER.moderate).length;
  if (weighty > 0) level -= weighty >= Math.max(1, fair) ? 2 : 1;
  return {
    level: LEVELS[Math.max(0, level)] ?? 'low',
    sources: supporting.length,
    grades: supporting.map((s) => s.grade),
    contradicting: contradicting.length,
    contradictingGrades: contradicting.map((s) => s.grade),
  };
}

/** The confidence alone; see assessConfidence for the rule. */
export function deriveConfidence(citations: readonly GradedCitation[]): Confidence | null {
  return assessConfidence(citations)?.level ?? null;
}

function gradeList(grades: readonly string[]): string {
  const shown = grades.slice(0, 3).join(', ');
  return grades.length > 3 ? `${shown} …` : shown;
}

/** What the level rests on, in words: "1 source, B2", "2 sources, A1, C3; 1 contradicts, B2". */
export function describeBasis(basis: Pick<ConfidenceBasis, 'sources' | 'grades' | 'contradicting' | 'contradictingGrades'>): string {
  const parts: string[] = [];
  if (basis.sources > 0) parts.push(`${basis.sources} ${basis.sources === 1 ? 'source' : 'sources'}, ${gradeList(basis.grades)}`);
  else parts.push('no supporting source');
  if (basis.contradicting > 0) parts.push(`${basis.contradicting} ${basis.contradicting === 1 ? 'contradicts' : 'contradict'}, ${gradeList(basis.contradictingGrades)}`);
  return parts.join('; ');
}
