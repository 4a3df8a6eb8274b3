import type { ReliabilityGrade } from './schemas';

const MiB = 1024 * 1024;

/** The largest file Caseboard stores as an attachment. Every door and check reads this one figure. */
export const MAX_ATTACHMENT_BYTES = 512 * MiB;

/**
 * The largest file that may travel inside an operation's JSON as base64 (the
 * Electron window without a file path, small uploads). Larger files go by path
 * or, in the browser mode, as a raw upload.
 */
export const MAX_INLINE_BYTES = 32 * MiB;

/** Length of the base64 text for a number of bytes. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** "12.3 MB" style sizes for messages and lists. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** What became of an attachment's text: searchable, none there, unreadable, or not a kind of file with text. */
export const TEXT_STATUSES = ['extracted', 'no_text', 'failed', 'not_applicable'] as const;
export type TextStatus = (typeof TEXT_STATUSES)[number];

/** How the app shows an attachment. Nothing is ever shown with its own scripts. */
export type ViewerKind = 'pdf' | 'text' | 'html' | 'image' | 'none';

/** Image types shown inline; everything else (SVG included) is never rendered as an image. */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export function viewerFor(mediaType: string): ViewerKind {
  if (mediaType === 'application/pdf') return 'pdf';
  if (mediaType === 'text/html' || mediaType === 'multipart/related') return 'html';
  if (mediaType === 'text/plain' || mediaType === 'text/markdown') return 'text';
  if ((INLINE_IMAGE_TYPES as readonly string[]).includes(mediaType)) return 'image';
  return 'none';
}

export interface Attachment {
  id: string;
  sourceId: string;
  name: string;
  /** Sniffed from the bytes, never taken from the file name's extension. */
  mediaType: string;
  size: number;
  sha256: string;
  textStatus: TextStatus;
  /** Why there is no text, when there is none. */
  textNote: string | null;
  pageCount: number | null;
  createdAt: string;
  viewer: ViewerKind;
}

export const CREDIBILITY_GRADES = [1, 2, 3, 4, 5, 6] as const;
export type CredibilityGrade = (typeof CREDIBILITY_GRADES)[number];
export const CREDIBILITY_LABELS: Record<CredibilityGrade, string> = {
  1: '1: confirmed by other sources',
  2: '2: probably true',
  3: '3: possibly true',
  4: '4: doubtful',
  5: '5: improbable',
  6: '6: truth cannot be judged',
};

/** An entity or link that cites an excerpt. */
export interface CitingItem {
  kind: 'entity' | 'link';
  id: string;
  label: string;
}

export interface Excerpt {
  id: string;
  sourceId: string;
  attachmentId: string | null;
  quote: string;
  /** Page of a PDF, counted from 1. */
  page: number | null;
  /** Character offsets into the attachment's text (text and HTML attachments). */
  charStart: number | null;
  charEnd: number | null;
  /** Free-form location such as a section or a time in a recording. */
  location: string | null;
  credibility: CredibilityGrade;
  comment: string | null;
  /** The quote in another language, and that language's code (en, zh-Hans, ...). */
  translation: string | null;
  translationLanguage: string | null;
  createdAt: string;
  updatedAt: string;
  citedBy: CitingItem[];
}

/** What adding one file produced. */
export interface AttachResult {
  attachment: Attachment;
  sourceId: string;
  sourceTitle: string;
  /** True when the file made a new source of its own. */
  createdSource: boolean;
}

export interface AttachmentText {
  attachmentId: string;
  pages: { page: number; text: string }[];
}

export interface AttachmentContent {
  name: string;
  mediaType: string;
  sha256: string;
  base64: string;
}

export interface ExportedAttachment {
  path: string;
  size: number;
  sha256: string;
}

/**
 * Kinds of item the search finds. Asking for sources also finds their attached files (as it always has);
 * asking for attachments finds only the files, by name or text.
 */
export const SEARCH_KINDS = ['source', 'attachment', 'excerpt', 'entity', 'link'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const SEARCH_KIND_LABELS: Record<SearchKind, string> = { source: 'Sources', attachment: 'Attached files', excerpt: 'Excerpts', entity: 'Entities', link: 'Links' };

/** An entity or link the search found by its name, aliases, type, description, notes or tags. */
export interface ItemHit {
  kind: 'entity' | 'link';
  id: string;
  /** The entity's name, or "from — type — to" for a link. */
  name: string;
  /** The entity's type and country, or the link's dates. */
  detail: string;
}

/** A run of snippet text, highlighted where it matched the query. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

export interface SearchHit {
  /** source: the source's own fields; attachment: an attached file's name or a page of its text; excerpt. */
  kind: 'source' | 'attachment' | 'excerpt';
  /** Where in the item the match is: its own fields, an attachment's name, or a page of its text. */
  field: 'source' | 'attachment' | 'page' | 'excerpt';
  sourceId: string;
  sourceTitle: string;
  reliability: ReliabilityGrade;
  excerptId: string | null;
  credibility: CredibilityGrade | null;
  attachmentId: string | null;
  attachmentName: string | null;
  page: number | null;
  snippet: SnippetPart[];
}

/** Hits are counted up to this many; a search that finds more says "more than 10,000". */
export const SEARCH_TOTAL_CAP = 10_000;

export interface SearchResult {
  hits: SearchHit[];
  /** Number of hits over all pages of results, at most SEARCH_TOTAL_CAP. */
  total: number;
  /** Present, and true, when there are more hits than the total counts. */
  totalCapped?: true;
  /** Entities and links that match every word, best first (on the first page of results only). */
  items: ItemHit[];
}

/** "1 match", "42 matches", "more than 10,000 matches". */
export function searchTotalText(result: Pick<SearchResult, 'total' | 'totalCapped'>): string {
  if (result.totalCapped) return `more than ${SEARCH_TOTAL_CAP.toLocaleString('en-GB')} matches`;
  return `${result.total} ${result.total === 1 ? 'match' : 'matches'}`;
}

/** Where the UI should open to show a hit: the source, its attachment, the page. */
export function hitLocation(hit: SearchHit): string {
  const parts = [hit.attachmentName, hit.page !== null && hit.field === 'page' ? `page ${hit.page}` : null].filter(Boolean);
  return parts.join(', ');
}

/**
 * Splits snippet text marked with the two delimiter characters into parts.
 * The delimiters are control characters that extracted text never keeps.
 */
export const SNIPPET_OPEN = '\u0002';
export const SNIPPET_CLOSE = '\u0003';
export function snippetParts(marked: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let rest = marked;
  while (rest.length > 0) {
    const open = rest.indexOf(SNIPPET_OPEN);
    if (open < 0) {
      parts.push({ text: rest, hit: false });
      break;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open), hit: false });
    const close = rest.indexOf(SNIPPET_CLOSE, open + 1);
    const end = close < 0 ? rest.length : close;
    const text = rest.slice(open + 1, end);
    if (text) parts.push({ text, hit: true });
    rest = close < 0 ? '' : rest.slice(close + 1);
  }
  return parts.filter((p) => p.text !== '');
}
