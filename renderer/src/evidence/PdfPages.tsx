import { TextLayer, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import { useEffect, useRef, useState } from 'react';
import { joinSelectedLines } from '../../../shared/cjk-text';
import { errorMessage } from '../ui/api';
import { openPdf } from './pdf';

export interface PdfSelection {
  quote: string;
  page: number;
}

/**
 * One page of a PDF at a time: drawn on a canvas, with pdf.js's invisible text
 * layer above it so that a passage can be selected and quoted with its page.
 */
export function PdfPages({ bytes, initialPage, onSelect }: { bytes: Uint8Array; initialPage: number; onSelect: (selection: PdfSelection | null) => void }) {
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
