import { TextLayer, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import { useEffect, useRef, useState } from 'react';
import { joinSelectedLines } from '../../../shared/cjk-text';
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

/**
 * Marks every occurrence of the passages in the text layer of a drawn page.
 * pdf.js puts a run of text in each span, so a passage broken across two runs
 * (a name wrapped onto the next line) is not marked.
 */
function markPassages(layer: HTMLElement, texts: readonly string[]): void {
  for (const old of [...layer.querySelectorAll('mark.mention')]) old.replaceWith(...old.childNodes);
  layer.normalize();
  const wanted = [...new Set(texts)].filter((t) => t.length > 0).sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return;
  for (const span of layer.querySelectorAll('span')) {
    const node = span.firstChild;
    if (span.childNodes.length !== 1 || !node || node.nodeType !== Node.TEXT_NODE) continue;
    const content = node.textContent ?? '';
    const found: { start: number; end: number }[] = [];
    for (const text of wanted) {
      for (let at = content.indexOf(text); at >= 0; at = content.indexOf(text, at + text.length)) {
        if (!found.some((f) => at < f.end && f.start < at + text.length)) found.push({ start: at, end: at + text.length });
      }
    }
    if (found.length === 0) continue;
    found.sort((a, b) => a.start - b.start);
    const parts: Node[] = [];
    let at = 0;
    for (const f of found) {
      parts.push(document.createTextNode(content.slice(at, f.start)));
      const mark = document.createElement('mark');
      mark.className = 'mention';
      mark.textContent = content.slice(f.start, f.end);
      parts.push(mark);
      at = f.end;
    }
    parts.push(document.createTextNode(content.slice(at)));
    span.replaceChildren(...parts);
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
