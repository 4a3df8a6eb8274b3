import { TextLayer, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import { useEffect, useRef, useState } from 'react';
import { ideographForRadical, joinSelectedLines } from '../../../shared/cjk-text';
import { errorMessage } from '../ui/api';
import { openPdf } from './pdf';

export interface PdfSelection {
  quote: string;
  page: number;
}

/** A passage to mark on a page: a mention's text, exactly as the page's text holds it. */
export interface PdfHighlight {
  page: number;
  text: string;
}

/** A character as the stored page text has it: a CJK radical (which PDFs often use for ideographs) as its ideograph. */
function storedChar(char: string): string {
  const ideograph = ideographForRadical(char);
  return ideograph.length === char.length ? ideograph : char;
}

/**
 * Marks every occurrence of the passages in the text layer of a drawn page.
 * pdf.js splits a page's text into runs, one span each, often in the middle of
 * a name (a Chinese name broken where a radical is used for an ideograph), so
 * the runs are read as one text, as the stored page text was made from them,
 * and each occurrence is marked piece by piece in the runs it spans.
 */
function markPassages(layer: HTMLElement, texts: readonly string[]): void {
  for (const old of [...layer.querySelectorAll('mark.mention')]) old.replaceWith(...old.childNodes);
  layer.normalize();
  const wanted = [...new Set(texts.map((t) => [...t.replace(/\s+/g, ' ').trim()].map(storedChar).join('')))].filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return;
  // The runs' text as one string, whitespace collapsed and a line end read as a space, with where each character came from.
  const nodes: Text[] = [];
  const from: { node: number; offset: number }[] = [];
  let flat = '';
  for (const span of layer.querySelectorAll('span')) {
    const node = span.firstChild;
    if (span.childNodes.length !== 1 || !node || node.nodeType !== Node.TEXT_NODE) continue;
    const content = node.textContent ?? '';
    nodes.push(node as Text);
    for (let i = 0; i < content.length; i++) {
      const char = /\s/.test(content[i] as string) ? ' ' : storedChar(content[i] as string);
      if (char === ' ' && (flat === '' || flat.endsWith(' '))) continue;
      flat += char;
      from.push({ node: nodes.length - 1, offset: i });
    }
    if (span.nextSibling?.nodeName === 'BR' && !flat.endsWith(' ')) {
      flat += ' ';
      from.push({ node: nodes.length - 1, offset: content.length });
    }
  }
  const taken: { start: number; end: number }[] = [];
  for (const text of wanted) {
    for (let at = flat.indexOf(text); at >= 0; at = flat.indexOf(text, at + text.length)) {
      if (!taken.some((t) => at < t.end && t.start < at + text.length)) taken.push({ start: at, end: at + text.length });
    }
  }
  // Pieces per run: from the first to the last character of an occurrence that lies in it.
  const pieces = new Map<number, { start: number; end: number }[]>();
  for (const t of taken) {
    for (let i = t.start; i < t.end; i++) {
      const { node, offset } = from[i] as { node: number; offset: number };
      if (offset >= (nodes[node]?.length ?? 0)) continue;
      const list = pieces.get(node) ?? [];
      const last = list[list.length - 1];
      if (last && last.end === offset && i !== t.start) last.end = offset + 1;
      else list.push({ start: offset, end: offset + 1 });
      pieces.set(node, list);
    }
  }
  for (const [index, list] of pieces) {
    const node = nodes[index] as Text;
    const content = node.textContent ?? '';
    const parts: Node[] = [];
    let at = 0;
    for (const piece of list.sort((a, b) => a.start - b.start)) {
      if (piece.start < at) continue;
      parts.push(document.createTextNode(content.slice(at, piece.start)));
      const mark = document.createElement('mark');
      mark.className = 'mention';
      mark.textContent = content.slice(piece.start, piece.end);
      parts.push(mark);
      at = piece.end;
    }
    parts.push(document.createTextNode(content.slice(at)));
    node.replaceWith(...parts);
  }
}

/**
 * One page of a PDF at a time: drawn on a canvas, with pdf.js's invisible text
 * layer above it so that a passage can be selected and quoted with its page.
 */
export function PdfPages({
  bytes,
  initialPage,
  highlights = [],
  onSelect,
}: {
  bytes: Uint8Array;
  initialPage: number;
  /** Passages to mark, on whichever page they are (mentions of known entities). */
  highlights?: readonly PdfHighlight[];
  onSelect: (selection: PdfSelection | null) => void;
}) {
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [page, setPage] = useState(initialPage);
  const [failure, setFailure] = useState<string | null>(null);
  const [pageFailure, setPageFailure] = useState<string | null>(null);
  const [rendering, setRendering] = useState(false);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const pageRef = useRef<HTMLDivElement>(null);
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
        const width = Math.max(320, (holder.parentElement?.clientWidth ?? 800) - 32);
        const scale = Math.min(2, width / pdfPage.getViewport({ scale: 1 }).width);
        const viewport = pdfPage.getViewport({ scale });
        const ratio = window.devicePixelRatio || 1;
        canvas.width = Math.floor(viewport.width * ratio);
        canvas.height = Math.floor(viewport.height * ratio);
        canvas.style.width = `${Math.floor(viewport.width)}px`;
        canvas.style.height = `${Math.floor(viewport.height)}px`;
        holder.style.width = `${Math.floor(viewport.width)}px`;
        holder.style.height = `${Math.floor(viewport.height)}px`;
        holder.style.setProperty('--total-scale-factor', String(scale));
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
  }, [doc, page]);

  const current = doc ? Math.min(Math.max(1, page), doc.numPages) : page;
  const highlightKey = drawnPage === null ? '' : JSON.stringify(highlights.filter((h) => h.page === drawnPage).map((h) => h.text));

  useEffect(() => {
    const layer = textRef.current;
    if (layer && drawnPage !== null) markPassages(layer, JSON.parse(highlightKey || '[]') as string[]);
  }, [drawnPage, highlightKey]);

  const readSelection = () => {
    const selection = window.getSelection();
    const text = joinSelectedLines(selection?.toString() ?? '');
    const inside = selection && selection.rangeCount > 0 && textRef.current?.contains(selection.getRangeAt(0).commonAncestorContainer);
    onSelect(text && inside ? { quote: text, page: current } : null);
  };

  if (failure) return <p className="form-failure" role="alert">{failure}</p>;
  return (
    <div className="pdf-viewer">
      <div className="pdf-toolbar" role="toolbar" aria-label="Pages">
        <button type="button" onClick={() => setPage(current - 1)} disabled={!doc || current <= 1}>
          Previous page
        </button>
        <span className="pdf-page-number" aria-live="polite">
          {doc ? `Page ${current} of ${doc.numPages}` : 'Opening…'}
        </span>
        <button type="button" onClick={() => setPage(current + 1)} disabled={!doc || current >= doc.numPages}>
          Next page
        </button>
        {rendering ? <span className="muted">Drawing…</span> : null}
      </div>
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
