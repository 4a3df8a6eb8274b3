/**
 * Partial dates as investigators meet them: a year ("2017"), a year and month
 * ("2023-05") or a full date ("2024-05-16"). Stored as that text, so sorting
 * the text sorts the dates.
 */
export type PartialDatePrecision = 'year' | 'month' | 'day';

export interface ParsedPartialDate {
  year: number;
  month?: number;
  day?: number;
  precision: PartialDatePrecision;
}

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses a partial date; returns null for text that is not one or names an impossible day. */
export function parsePartialDate(text: string): ParsedPartialDate | null {
  const match = PARTIAL_DATE.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 1000) return null;
  if (match[2] === undefined) return { year, precision: 'year' };
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  if (match[3] === undefined) return { year, month, precision: 'month' };
  const day = Number(match[3]);
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day, precision: 'day' };
}

export function isPartialDate(text: string): boolean {
  return parsePartialDate(text) !== null;
}

/** First and last calendar day a partial date covers, as ISO dates. */
export function partialDateRange(text: string): { start: string; end: string } | null {
  const parsed = parsePartialDate(text);
  if (!parsed) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  const y = String(parsed.year);
  if (parsed.precision === 'year') return { start: `${y}-01-01`, end: `${y}-12-31` };
  const m = pad(parsed.month ?? 1);
  if (parsed.precision === 'month') return { start: `${y}-${m}-01`, end: `${y}-${m}-${pad(daysInMonth(parsed.year, parsed.month ?? 1))}` };
  return { start: text, end: text };
}
