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

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A partial date in words ("2017", "March 2017", "5 March 2017"), the same on every machine; other text prints as it is. */
export function formatPartialDate(text: string): string {
  const parsed = parsePartialDate(text);
  if (!parsed) return text;
  const month = MONTHS[(parsed.month ?? 1) - 1] ?? '';
  if (parsed.precision === 'year') return String(parsed.year);
  if (parsed.precision === 'month') return `${month} ${parsed.year}`;
  return `${parsed.day ?? 1} ${month} ${parsed.year}`;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A timestamp in words: an instant (with a zone) as "2 December 2026, 14:30 UTC";
 * a time typed without a zone keeps its clock time and claims no zone.
 */
export function formatDateTime(text: string): string {
  const match = DATE_TIME.exec(text);
  if (!match) return text;
  const [, date = '', hours, minutes, zone] = match;
  if (hours === undefined || minutes === undefined) return formatPartialDate(date);
  if (zone === undefined) return `${formatPartialDate(date)}, ${hours}:${minutes}`;
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) return text;
  const iso = instant.toISOString();
  return `${formatPartialDate(iso.slice(0, 10))}, ${iso.slice(11, 16)} UTC`;
}

/** A span of partial dates in words: "2011–", "–2020", "March 2017 – June 2018"; empty when neither end is known. */
export function formatDateSpan(start: string | null, end: string | null): string {
  const from = start ? formatPartialDate(start) : '';
  const to = end ? formatPartialDate(end) : '';
  if (!from && !to) return '';
  if (from === to) return from;
  return `${from}${from.includes(' ') || to.includes(' ') ? ' – ' : '–'}${to}`.trim();
}
