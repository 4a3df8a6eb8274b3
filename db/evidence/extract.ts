import { createRequire } from 'node:module';
import path from 'node:path';
import { Parser } from 'htmlparser2';
import { radicalsAsIdeographs } from '../../shared/cjk-text';
import type { TextStatus } from '../../shared/evidence';

/** What text extraction made of one file. Pages are numbered from 1; non-PDF text is one page. */
export interface ExtractedText {
  status: TextStatus;
  note: string | null;
  pages: string[];
  pageCount: number | null;
  /** A title the document gives itself (PDF metadata, HTML <title>), for naming a new source. */
  title: string | null;
}

export interface ExtractOptions {
  /** Called between pages; throws to stop. */
  checkpoint?: () => void;
  onPage?: (done: number, total: number) => void;
  /** How long one document may take before it is given up on (milliseconds). */
  timeoutMs?: number;
}

// eslint-disable-next-line no-control-regex -- removing control characters is what this pattern is for
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Normalises text for storage and search: NFC, radicals as ideographs, no control characters, \n line ends. */
export function normaliseText(text: string): string {
  return radicalsAsIdeographs(text.replace(/\r\n?/g, '\n').replace(CONTROL, '')).normalize('NFC');
}

function failed(note: string): ExtractedText {
  return { status: 'failed', note, pages: [], pageCount: null, title: null };
}

function oneText(text: string, title: string | null, emptyNote: string): ExtractedText {
  const normalised = normaliseText(text);
  if (normalised.trim() === '') return { status: 'no_text', note: emptyNote, pages: [], pageCount: null, title };
  return { status: 'extracted', note: null, pages: [normalised], pageCount: null, title };
}

// ---- plain text ----

/** Decodes text by its byte order mark, else as strict UTF-8; null when it is not valid UTF-8. */
export function decodeText(bytes: Uint8Array, fallbackLabel?: string): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    if (!fallbackLabel) return null;
    try {
      return new TextDecoder(fallbackLabel).decode(bytes);
    } catch {
      return null;
    }
  }
}

function extractPlainText(bytes: Uint8Array): ExtractedText {
  const text = decodeText(bytes);
  if (text === null) return failed('No text could be extracted: the file is not UTF-8 text (or UTF-16 with a byte order mark).');
  return oneText(text, null, 'The file is empty.');
}

// ---- HTML and MHTML ----

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'select', 'button']);
const BLOCK = new Set(['address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tr', 'ul', 'td', 'th', 'caption', 'title']);

/** The text a reader would see on a page: no scripts, styles or markup, entities decoded. */
export function htmlVisibleText(html: string): { text: string; title: string | null } {
  const out: string[] = [];
  let skipDepth = 0;
  let inTitle = false;
  let title = '';
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'title') inTitle = true;
        if (SKIPPED.has(name)) skipDepth += 1;
        if (BLOCK.has(name)) out.push('\n');
      },
      ontext(text) {
        if (inTitle) title += text;
        else if (skipDepth === 0) out.push(text);
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (SKIPPED.has(name) && skipDepth > 0) skipDepth -= 1;
        if (BLOCK.has(name)) out.push('\n');
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  const text = out
    .join('')
    .replace(/[ \t\f\r\u00A0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const cleanTitle = title.replace(/\s+/g, ' ').trim();
  return { text, title: cleanTitle || null };
}

/** The character set an HTML file declares in its first kilobytes, if any. */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  return /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(head)?.[1];
}

function decodeHtml(bytes: Uint8Array, charset?: string): string | null {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xef && bytes[1] === 0xbb)) return decodeText(bytes);
  const label = charset ?? declaredCharset(bytes);
  if (label && !/^utf-?8$/i.test(label)) {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // An unknown label: fall through to UTF-8, then windows-1252 as browsers do.
    }
  }
  return decodeText(bytes, 'windows-1252');
}

function extractHtml(bytes: Uint8Array, charset?: string): ExtractedText {
  const html = decodeHtml(bytes, charset);
  if (html === null) return failed('No text could be extracted: the page is in an encoding Caseboard cannot read.');
  const { text, title } = htmlVisibleText(html);
  return oneText(text, title ? normaliseText(title) : null, 'The page has no visible text.');
}

function decodeQuotedPrintable(text: string): Uint8Array {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const c = joined[i] as string;
    const hex = joined.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const code = joined.charCodeAt(i);
      bytes.push(code & 0xff);
    }
  }
  return Uint8Array.from(bytes);
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** A saved web page (MHTML): the text of its first HTML part. */
function extractMhtml(bytes: Uint8Array): ExtractedText {
  const raw = new TextDecoder('latin1').decode(bytes);
  const split = /\r?\n\r?\n/.exec(raw);
  if (!split) return failed('No text could be extracted: the saved web page is damaged.');
  const top = parseHeaders(raw.slice(0, split.index));
  const boundary = /boundary\s*=\s*"?([^";]+)"?/i.exec(top.get('content-type') ?? '')?.[1];
  if (!boundary) return failed('No text could be extracted: the saved web page is damaged (no MIME boundary).');
  const parts = raw.split(`--${boundary}`).slice(1);
  for (const part of parts) {
    const gap = /\r?\n\r?\n/.exec(part);
    if (!gap) continue;
    const headers = parseHeaders(part.slice(0, gap.index));
    const type = headers.get('content-type') ?? '';
    if (!/^text\/html/i.test(type)) continue;
    const body = part.slice(gap.index + gap[0].length);
    const encoding = (headers.get('content-transfer-encoding') ?? '').toLowerCase();
    let content: Uint8Array;
    if (encoding === 'base64') content = Uint8Array.from(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
    else if (encoding === 'quoted-printable') content = decodeQuotedPrintable(body);
    else content = Uint8Array.from(Buffer.from(body, 'latin1'));
    const charset = /charset\s*=\s*"?([^";\s]+)"?/i.exec(type)?.[1];
    const result = extractHtml(content, charset);
    const subject = top.get('subject');
    return { ...result, title: result.title ?? (subject ? normaliseText(subject) : null) };
  }
  return failed('No text could be extracted: the saved web page has no HTML part.');
}

// ---- PDF ----

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsModule: Promise<PdfJs> | null = null;
const requireHere = createRequire(__filename);

function pdfjsDir(): string {
  return path.dirname(requireHere.resolve('pdfjs-dist/package.json'));
}

function loadPdfjs(): Promise<PdfJs> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
}

interface PdfTextItem {
  str?: string;
  hasEOL?: boolean;
}

async function extractPdf(bytes: Uint8Array, options: ExtractOptions): Promise<ExtractedText> {
  const pdfjs = await loadPdfjs();
  const base = pdfjsDir();
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
    cMapUrl: `${path.join(base, 'cmaps')}${path.sep}`,
    cMapPacked: true,
    standardFontDataUrl: `${path.join(base, 'standard_fonts')}${path.sep}`,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), options.timeoutMs ?? 120_000);
  });
  try {
    const work = (async (): Promise<ExtractedText> => {
      const doc = await task.promise;
      let title: string | null = null;
      try {
        const meta = await doc.getMetadata();
        const info = meta.info as { Title?: unknown } | undefined;
        if (typeof info?.Title === 'string' && info.Title.trim()) title = normaliseText(info.Title.trim()).slice(0, 1000);
      } catch {
        // Metadata is a nicety; the text is what matters.
      }
      const pages: string[] = [];
      for (let n = 1; n <= doc.numPages; n += 1) {
        options.checkpoint?.();
        let text = '';
        try {
          const page = await doc.getPage(n);
          const content = await page.getTextContent();
          text = (content.items as PdfTextItem[]).map((item) => `${item.str ?? ''}${item.hasEOL ? '\n' : ''}`).join('');
          page.cleanup();
        } catch {
          // One broken page leaves the others readable; it counts as a page without text.
        }
        pages.push(normaliseText(text));
        options.onPage?.(n, doc.numPages);
      }
      const pageCount = doc.numPages;
      if (pages.every((p) => p.trim() === '')) {
        return { status: 'no_text', note: 'This PDF has no text layer (it may be a scan), so its text cannot be searched.', pages: [], pageCount, title };
      }
      return { status: 'extracted', note: null, pages, pageCount, title };
    })();
    return await Promise.race([work, timeout]);
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') return failed('No text could be extracted: the PDF is protected by a password.');
    if ((error as Error).message === 'timeout') return failed('No text could be extracted: reading the PDF took too long.');
    if ((error as { code?: string }).code === 'cancelled') throw error;
    return failed('No text could be extracted: the PDF is damaged or not a valid PDF.');
  } finally {
    clearTimeout(timer);
    await task.destroy().catch(() => undefined);
  }
}

/**
 * Extracts searchable text from a file of a sniffed media type. Never throws
 * for a bad file (only for cancellation): a file that cannot be read is
 * reported with status 'failed' and a note for the user.
 */
export async function extractText(bytes: Uint8Array, mediaType: string, options: ExtractOptions = {}): Promise<ExtractedText> {
  try {
    switch (mediaType) {
      case 'application/pdf':
        return await extractPdf(bytes, options);
      case 'text/html':
        return extractHtml(bytes);
      case 'multipart/related':
        return extractMhtml(bytes);
      case 'text/plain':
      case 'text/markdown':
        return extractPlainText(bytes);
      default:
        if (mediaType.startsWith('image/')) return { status: 'not_applicable', note: 'Images are kept as they are; their text is not read (no OCR).', pages: [], pageCount: null, title: null };
        return { status: 'not_applicable', note: 'Caseboard keeps this kind of file as it is and does not read text from it.', pages: [], pageCount: null, title: null };
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'cancelled') throw error;
    return failed('No text could be extracted from this file.');
  }
}
