import { TextLayer, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ideographForRadical, joinSelectedLines, radicalsAsIdeographs } from '../../../shared/cjk-text';
import { errorMessage } from '../ui/api';
import { openPdf } from './pdf';

export interface PdfSelection {
  quote: string;
  page: number;
}

/** What a marked passage is: a mention of a known entity, an excerpt quoted from the page, or a hit of the find box. */
export type PdfMarkKind = 'mention' | 'excerpt';

/** A passage to mark on a page, exactly as the page's text holds it. */
export interface PdfHighlight {
  page: number;
  text: string;
  /** Mentions when not said. */
  kind?: PdfMarkKind;
}

/** A character as the stored page text has it: a CJK radical (which PDFs often use for ideographs) as its ideograph. */
function storedChar(char: string): string {
  const ideograph = ideographForRadical(char);
  return ideograph.length === char.length ? ideograph : char;
}

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\uFF00-\uFFEF]/u;

/** A character for matching without regard to case; one that lower-cases to more than one character stays as it is. */
function caseless(char: string): string {
  const lower = char.toLowerCase();
  return lower.length === char.length ? lower : char;
}

/**
 * Text as the page's runs are matched against it: whitespace collapsed, CJK
 * radicals read as their ideographs, and no space between two CJK characters
 * (a line wrapped inside a Chinese sentence), as excerpts are stored.
 */
export function matchableText(text: string, ignoreCase = false): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()].map(storedChar).map((c) => (ignoreCase ? caseless(c) : c));
  return chars.filter((c, i) => !(c === ' ' && CJK_CHAR.test(chars[i - 1] ?? '') && CJK_CHAR.test(chars[i + 1] ?? ''))).join('');
}

/** Where each occurrence of `needle` starts in `hay`, occurrences not overlapping. */
function occurrences(hay: string, needle: string): number[] {
  const found: number[] = [];
  if (!needle) return found;
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) found.push(at);
  return found;
}

/** The runs of a drawn page's text layer read as one text, with the run and offset each character came from. */
function layerText(layer: HTMLElement): { nodes: Text[]; chars: string[]; from: { node: number; offset: number }[] } {
  const nodes: Text[] = [];
  const raw: { char: string; node: number; offset: number }[] = [];
  for (const span of layer.querySelectorAll('span')) {
    const node = span.firstChild;
    if (span.childNodes.length !== 1 || !node || node.nodeType !== Node.TEXT_NODE) continue;
    const content = node.textContent ?? '';
    nodes.push(node as Text);
    for (let i = 0; i < content.length; i++) {
      const char = /\s/.test(content[i] as string) ? ' ' : storedChar(content[i] as string);
      const last = raw[raw.length - 1];
      if (char === ' ' && (!last || last.char === ' ')) continue;
      raw.push({ char, node: nodes.length - 1, offset: i });
    }
    const last = raw[raw.length - 1];
    if (span.nextSibling?.nodeName === 'BR' && last && last.char !== ' ') raw.push({ char: ' ', node: nodes.length - 1, offset: content.length });
  }
  const kept = raw.filter((r, i) => !(r.char === ' ' && CJK_CHAR.test(raw[i - 1]?.char ?? '') && CJK_CHAR.test(raw[i + 1]?.char ?? '')));
  return { nodes, chars: kept.map((k) => k.char), from: kept.map(({ node, offset }) => ({ node, offset })) };
}

/** How many times the find box's text occurs in a page's text, counted as the page's marks will be. */
export function countOnPage(pageText: string, query: string): number {
  return occurrences(matchableText(pageText, true), matchableText(query, true)).length;
}

/**
 * Marks passages in the text layer of a drawn page: mentions, excerpts and
 * the find box's hits (the current one apart). pdf.js splits a page's text
 * into runs, one span each, often in the middle of a name (a Chinese name
 * broken where a radical is used for an ideograph), so the runs are read as
 * one text, as the stored page text was made from them, and each passage is
 * marked piece by piece in the runs it spans. A character in several passages
 * carries all their kinds. Answers the mark of the current find hit.
 */
function markPassages(layer: HTMLElement, highlights: readonly { kind: PdfMarkKind; text: string }[], find: { query: string; current: number | null }): HTMLElement | null {
  for (const old of [...layer.querySelectorAll('mark')]) old.replaceWith(...old.childNodes);
  layer.normalize();
  const { nodes, chars, from } = layerText(layer);
  const flat = chars.join('');
  const kinds: Set<string>[] = chars.map(() => new Set<string>());
  const cover = (start: number, length: number, kind: string) => {
    for (let i = start; i < start + length; i++) kinds[i]?.add(kind);
  };
  for (const kind of ['excerpt', 'mention'] as const) {
    const wanted = [...new Set(highlights.filter((h) => h.kind === kind).map((h) => matchableText(h.text)))].filter((t) => t.length > 0);
    for (const text of wanted) for (const at of occurrences(flat, text)) cover(at, text.length, kind);
  }
  const needle = matchableText(find.query, true);
  if (needle) {
    const hits = occurrences(chars.map(caseless).join(''), needle);
    hits.forEach((at, i) => cover(at, needle.length, i === find.current ? 'find current' : 'find'));
  }
  // Pieces per run: characters next to each other in one run with the same kinds.
  const pieces = new Map<number, { start: number; end: number; className: string }[]>();
  kinds.forEach((set, i) => {
    if (set.size === 0) return;
    const { node, offset } = from[i] as { node: number; offset: number };
    if (offset >= (nodes[node]?.length ?? 0)) return;
    const className = [...set].sort().join(' ');
    const list = pieces.get(node) ?? [];
    const last = list[list.length - 1];
    if (last && last.end === offset && last.className === className) last.end = offset + 1;
    else list.push({ start: offset, end: offset + 1, className });
    pieces.set(node, list);
  });
  let current: HTMLElement | null = null;
  for (const [index, list] of pieces) {
    const node = nodes[index] as Text;
    const content = node.textContent ?? '';
    const parts: Node[] = [];
    let at = 0;
    for (const piece of list.sort((a, b) => a.start - b.start)) {
      if (piece.start < at) continue;
      parts.push(document.createTextNode(content.slice(at, piece.start)));
      const mark = document.createElement('mark');
      mark.className = piece.className;
      mark.textContent = content.slice(piece.start, piece.end);
      if (!current && piece.className.split(' ').includes('current')) current = mark;
      parts.push(mark);
      at = piece.end;
    }
    parts.push(document.createTextNode(content.slice(at)));
    node.replaceWith(...parts);
  }
  return current;
}

/** Zoom steps, as scales of the page's own size; "fit width" is whatever the viewer's width gives. */
const ZOOM_STEPS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4] as const;
const MIN_ZOOM = 0.5;
const MAX_ZOOM = 4;

/** The find box's hits: where each is, page by page, in document order. */
interface FindState {
  query: string;
  /** Hits per page, for the pages that have any. */
  perPage: { page: number; count: number }[];
  total: number;
  /** The current hit, counted from 0 over the whole document; null before the first is shown. */
  current: number | null;
  searching: boolean;
}

const NO_FIND: FindState = { query: '', perPage: [], total: 0, current: null, searching: false };

/** The page and the index on that page of the document's n-th hit. */
function hitAt(find: FindState, n: number): { page: number; index: number } | null {
  let left = n;
  for (const p of find.perPage) {
    if (left < p.count) return { page: p.page, index: left };
    left -= p.count;
  }
  return null;
}

/** The text of every page, as pdf.js reads it for its text layer: runs in order, a space where a line ends. */
async function pageTexts(doc: PDFDocumentProxy, isLive: () => boolean): Promise<string[] | null> {
  const texts: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    if (!isLive()) return null;
    texts.push(content.items.map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : '')).join(''));
  }
  return texts;
}

/**
 * One page of a PDF at a time: drawn on a canvas, with pdf.js's invisible text
 * layer above it so that a passage can be selected and quoted with its page.
 * The toolbar turns pages, goes to a page by number, zooms (in, out, to the
 * width of the viewer) and finds text anywhere in the document.
 */
export function PdfPages({
  bytes,
  initialPage,
  highlights = [],
  onSelect,
}: {
  bytes: Uint8Array;
  initialPage: number;
  /** Passages to mark, on whichever page they are: mentions of known entities and excerpts quoted from the file. */
  highlights?: readonly PdfHighlight[];
  onSelect: (selection: PdfSelection | null) => void;
}) {
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [page, setPage] = useState(initialPage);
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [scale, setScale] = useState<number | null>(null);
  const [goTo, setGoTo] = useState('');
  const [goToProblem, setGoToProblem] = useState<string | null>(null);
  const [findText, setFindText] = useState('');
  const [find, setFind] = useState<FindState>(NO_FIND);
  const [failure, setFailure] = useState<string | null>(null);
  const [pageFailure, setPageFailure] = useState<string | null>(null);
  const [rendering, setRendering] = useState(false);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const pageRef = useRef<HTMLDivElement>(null);
  const findRef = useRef<HTMLInputElement>(null);
  const textsRef = useRef<{ doc: PDFDocumentProxy; texts: Promise<string[] | null> } | null>(null);
  // pdf.js refuses a second render on a canvas that is still being drawn, so
  // each page waits for the previous drawing to be cancelled and settled.
  const drawingRef = useRef<{ task: RenderTask | null; settled: Promise<void> }>({ task: null, settled: Promise.resolve() });
  // The page drawn last and the passages to mark on it: marked once its text layer is there, and again when they change.
  const [drawnPage, setDrawnPage] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    let opened: PDFDocumentProxy | null = null;
    // pdf.js takes over the buffer it is given; keep the caller's copy intact.
    openPdf(bytes.slice())
      .then((d) => {
        opened = d;
        if (live) setDoc(d);
        else void d.destroy();
      })
      .catch((error: unknown) => live && setFailure(`This PDF cannot be shown: ${errorMessage(error)}`));
    return () => {
      live = false;
      void opened?.destroy();
    };
  }, [bytes]);

  useEffect(() => setPage(initialPage), [initialPage]);

  // Fit width follows the viewer's width: a page drawn at one width is drawn again once the viewer has
  // settled at another (a window resized, a panel opened), not at every step of the resize.
  const [viewerWidth, setViewerWidth] = useState<number | null>(null);
  const drawnWidth = useRef<number | null>(null);
  useEffect(() => {
    const viewer = pageRef.current?.parentElement;
    if (zoom !== 'fit' || !viewer || typeof ResizeObserver === 'undefined') return;
    let timer = 0;
    const observer = new ResizeObserver(() => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const width = viewer.clientWidth;
        if (drawnWidth.current !== null && Math.abs(width - drawnWidth.current) > 24) setViewerWidth(width);
      }, 150);
    });
    observer.observe(viewer);
    return () => {
      observer.disconnect();
      window.clearTimeout(timer);
    };
  }, [zoom, doc]);

  useEffect(() => {
    if (!doc) return;
    const number = Math.min(Math.max(1, page), doc.numPages);
    let cancelled = false;
    let textLayer: TextLayer | null = null;
    const previous = drawingRef.current;
    previous.task?.cancel();
    setRendering(true);
    setDrawnPage(null);
    setPageFailure(null);
    let finish: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (finish = resolve));
    const drawing: { task: RenderTask | null; settled: Promise<void> } = { task: null, settled };
    drawingRef.current = drawing;
    void (async () => {
      try {
        await previous.settled;
        if (cancelled) return;
        const pdfPage = await doc.getPage(number);
        const canvas = canvasRef.current;
        const textDiv = textRef.current;
        const holder = pageRef.current;
        if (cancelled || !canvas || !textDiv || !holder) return;
        drawnWidth.current = holder.parentElement?.clientWidth ?? null;
        const width = Math.max(320, (holder.parentElement?.clientWidth ?? 800) - 32);
        const chosen = zoom === 'fit' ? Math.min(2, width / pdfPage.getViewport({ scale: 1 }).width) : zoom;
        const viewport = pdfPage.getViewport({ scale: chosen });
        const ratio = window.devicePixelRatio || 1;
        canvas.width = Math.floor(viewport.width * ratio);
        canvas.height = Math.floor(viewport.height * ratio);
        canvas.style.width = `${Math.floor(viewport.width)}px`;
        canvas.style.height = `${Math.floor(viewport.height)}px`;
        holder.style.width = `${Math.floor(viewport.width)}px`;
        holder.style.height = `${Math.floor(viewport.height)}px`;
        holder.style.setProperty('--total-scale-factor', String(chosen));
        setScale(chosen);
        const context = canvas.getContext('2d');
        if (!context) throw new Error('no canvas');
        drawing.task = pdfPage.render({ canvas, canvasContext: context, viewport, ...(ratio !== 1 ? { transform: [ratio, 0, 0, ratio, 0, 0] } : {}) });
        await drawing.task.promise;
        if (cancelled) return;
        textDiv.replaceChildren();
        textLayer = new TextLayer({ textContentSource: pdfPage.streamTextContent(), container: textDiv, viewport });
        await textLayer.render();
        if (!cancelled) setDrawnPage(number);
      } catch (error) {
        if (!cancelled) setPageFailure(`Page ${number} cannot be shown: ${errorMessage(error)}`);
      } finally {
        drawing.task = null;
        finish();
        if (!cancelled) setRendering(false);
      }
    })();
    return () => {
      cancelled = true;
      drawing.task?.cancel();
      textLayer?.cancel();
    };
  }, [doc, page, zoom, viewerWidth]);

  const current = doc ? Math.min(Math.max(1, page), doc.numPages) : page;
  const currentHit = find.current === null ? null : hitAt(find, find.current);
  const highlightKey =
    drawnPage === null ? '' : JSON.stringify(highlights.filter((h) => h.page === drawnPage).map((h) => ({ kind: h.kind ?? 'mention', text: h.text })));
  const findKey = drawnPage === null ? '' : JSON.stringify({ query: find.query, current: currentHit && currentHit.page === drawnPage ? currentHit.index : null });

  useEffect(() => {
    const layer = textRef.current;
    if (!layer || drawnPage === null) return;
    const wanted = JSON.parse(highlightKey || '[]') as { kind: PdfMarkKind; text: string }[];
    const shown = JSON.parse(findKey || '{"query":"","current":null}') as { query: string; current: number | null };
    const mark = markPassages(layer, wanted, shown);
    // Chromium's scrollIntoView now answers with a promise, which React must not take for a cleanup.
    void mark?.scrollIntoView({ block: 'center', inline: 'nearest' });
  }, [drawnPage, highlightKey, findKey]);

  // Ctrl+F (⌘F) finds in the document shown, wherever the focus is in the viewer, rather than in the app around it.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        findRef.current?.focus();
        findRef.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const runFind = (query: string) => {
    const wanted = query.trim();
    if (!doc || wanted === '') {
      setFind(NO_FIND);
      return;
    }
    if (!textsRef.current || textsRef.current.doc !== doc) textsRef.current = { doc, texts: pageTexts(doc, () => true) };
    const texts = textsRef.current.texts;
    setFind({ ...NO_FIND, query: wanted, searching: true });
    texts
      .then((all) => {
        if (!all) return;
        const perPage = all.map((text, i) => ({ page: i + 1, count: countOnPage(text, wanted) })).filter((p) => p.count > 0);
        const total = perPage.reduce((sum, p) => sum + p.count, 0);
        // The first hit on or after the page being read.
        let first: number | null = null;
        let seen = 0;
        for (const p of perPage) {
          if (p.page >= current) {
            first = seen;
            break;
          }
          seen += p.count;
        }
        const next: FindState = { query: wanted, perPage, total, current: total === 0 ? null : (first ?? 0), searching: false };
        setFind((shown) => (shown.query === wanted ? next : shown));
        const hit = next.current === null ? null : hitAt(next, next.current);
        if (hit) setPage(hit.page);
      })
      .catch((error: unknown) => {
        setFind(NO_FIND);
        setPageFailure(`The document’s text cannot be searched: ${errorMessage(error)}`);
      });
  };

  const stepFind = (by: 1 | -1) => {
    if (find.total === 0) return;
    const next = ((find.current ?? (by === 1 ? -1 : 0)) + by + find.total) % find.total;
    setFind({ ...find, current: next });
    const hit = hitAt(find, next);
    if (hit) setPage(hit.page);
  };

  const zoomBy = (direction: 1 | -1) => {
    const now = scale ?? 1;
    const next = direction === 1 ? ZOOM_STEPS.find((z) => z > now + 0.01) : [...ZOOM_STEPS].reverse().find((z) => z < now - 0.01);
    if (next !== undefined) setZoom(next);
  };

  const submitGoTo = (event: FormEvent) => {
    event.preventDefault();
    if (!doc) return;
    const wanted = Number(goTo.trim());
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > doc.numPages) {
      setGoToProblem(`Give a page from 1 to ${doc.numPages}.`);
      return;
    }
    setGoToProblem(null);
    setGoTo('');
    setPage(wanted);
  };

  const readSelection = () => {
    const selection = window.getSelection();
    const text = joinSelectedLines(selection?.toString() ?? '');
    const inside = selection && selection.rangeCount > 0 && textRef.current?.contains(selection.getRangeAt(0).commonAncestorContainer);
    // What was selected as it will be stored: the ideographs for the radicals some PDF fonts draw them with.
    onSelect(text && inside ? { quote: radicalsAsIdeographs(text), page: current } : null);
  };

  const findStatus = find.searching
    ? 'Searching…'
    : find.query === ''
      ? null
      : find.total === 0
        ? 'Not found'
        : `${(find.current ?? 0) + 1} of ${find.total}`;

  if (failure) return <p className="form-failure" role="alert">{failure}</p>;
  return (
    <div className="pdf-viewer">
      <div className="pdf-toolbar" role="toolbar" aria-label="Pages">
        <div className="pdf-tool-group">
          <button type="button" onClick={() => setPage(current - 1)} disabled={!doc || current <= 1}>
            Previous page
          </button>
          <span className="pdf-page-number" aria-live="polite">
            {doc ? `Page ${current} of ${doc.numPages}` : 'Opening…'}
          </span>
          <button type="button" onClick={() => setPage(current + 1)} disabled={!doc || current >= doc.numPages}>
            Next page
          </button>
          <form className="pdf-go-to" onSubmit={submitGoTo}>
            <input
              aria-label="Go to page"
              inputMode="numeric"
              placeholder="Page"
              value={goTo}
              onChange={(e) => {
                setGoTo(e.target.value);
                setGoToProblem(null);
              }}
              aria-invalid={goToProblem !== null}
              disabled={!doc}
            />
            <button type="submit" disabled={!doc}>
              Go
            </button>
          </form>
        </div>
        <div className="pdf-tool-group" role="group" aria-label="Zoom">
          <button type="button" onClick={() => zoomBy(-1)} disabled={!doc || (scale ?? 1) <= MIN_ZOOM + 0.01} aria-label="Zoom out" title="Zoom out">
            −
          </button>
          <span className="pdf-zoom" aria-live="polite" title="Zoom">
            {scale === null ? '—' : `${Math.round(scale * 100)}%`}
          </span>
          <button type="button" onClick={() => zoomBy(1)} disabled={!doc || (scale ?? 1) >= MAX_ZOOM - 0.01} aria-label="Zoom in" title="Zoom in">
            +
          </button>
          <button type="button" onClick={() => setZoom('fit')} disabled={!doc} aria-pressed={zoom === 'fit'}>
            Fit width
          </button>
        </div>
        <form
          className="pdf-tool-group pdf-find"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            if (find.query === findText.trim() && find.total > 0) stepFind(1);
            else runFind(findText);
          }}
        >
          <input
            ref={findRef}
            type="search"
            aria-label="Find in the document"
            placeholder="Find in the document"
            value={findText}
            onChange={(e) => {
              setFindText(e.target.value);
              if (e.target.value.trim() === '') setFind(NO_FIND);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && e.shiftKey) {
                e.preventDefault();
                stepFind(-1);
              }
            }}
            disabled={!doc}
          />
          <button type="button" onClick={() => stepFind(-1)} disabled={find.total === 0} aria-label="Previous match" title="Previous match (Shift+Enter)">
            ↑
          </button>
          <button type="button" onClick={() => stepFind(1)} disabled={find.total === 0} aria-label="Next match" title="Next match (Enter)">
            ↓
          </button>
          {findStatus ? (
            <span className={find.total === 0 && !find.searching ? 'pdf-find-count none' : 'pdf-find-count'} role="status">
              {findStatus}
            </span>
          ) : null}
        </form>
        {rendering ? <span className="muted">Drawing…</span> : null}
      </div>
      {goToProblem ? (
        <p className="form-failure" role="alert">
          {goToProblem}
        </p>
      ) : null}
      {pageFailure ? (
        <p className="form-failure" role="alert">
          {pageFailure}
        </p>
      ) : null}
      <div className="pdf-scroll">
        <div className="pdf-page" ref={pageRef} data-page={current} onMouseUp={readSelection} onKeyUp={readSelection}>
          <canvas ref={canvasRef} aria-label={`Page ${current}`} />
          <div className="textLayer" ref={textRef} />
        </div>
      </div>
    </div>
  );
}
