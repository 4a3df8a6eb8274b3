import { useEffect, useRef, useState } from 'react';
import { formatBytes, type Attachment, type Excerpt } from '../../../shared/evidence';
import { api, choosePath, errorMessage } from '../ui/api';
import { attachmentBytes, downloadAttachment, savesAsDownload } from './api';
import { ExcerptForm, type ExcerptDraft } from './ExcerptForm';
import { PdfPages } from './PdfPages';

/** The extracted text of a text or web page attachment, where a passage can be selected with its character offsets. */
function TextPassages({ attachment, mark, onSelect }: { attachment: Attachment; mark: { start: number; end: number } | null; onSelect: (draft: ExcerptDraft | null) => void }) {
  const [text, setText] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const preRef = useRef<HTMLPreElement>(null);
  const markRef = useRef<HTMLElement>(null);

  useEffect(() => {
    let live = true;
    api
      .call('attachments.text', { id: attachment.id })
      .then((result) => live && setText(result.pages.map((p) => p.text).join('\n\n')))
      .catch((error: unknown) => live && setFailure(errorMessage(error)));
    return () => {
      live = false;
    };
  }, [attachment.id]);

  useEffect(() => markRef.current?.scrollIntoView({ block: 'center' }), [text, mark]);

  const readSelection = () => {
    const selection = window.getSelection();
    const pre = preRef.current;
    if (!selection || selection.rangeCount === 0 || !pre || !pre.contains(selection.getRangeAt(0).commonAncestorContainer)) return onSelect(null);
    const range = selection.getRangeAt(0);
    const before = document.createRange();
    before.setStart(pre, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const start = before.toString().length;
    const quote = range.toString();
    if (!quote.trim()) return onSelect(null);
    onSelect({ attachmentId: attachment.id, quote: quote.trim(), charStart: start, charEnd: start + quote.length });
  };

  if (failure) return <p className="form-failure" role="alert">{failure}</p>;
  if (text === null) return <p className="muted">Loading the text…</p>;
  if (text === '') return <p className="muted">{attachment.textNote ?? 'There is no text to show.'}</p>;
  const inRange = mark && mark.end <= text.length ? mark : null;
  return (
    <div className="text-viewer">
      {attachment.viewer === 'html' ? <p className="viewer-note">The page&apos;s visible text, without its scripts, styles or images. Save the file to see the original.</p> : null}
      <pre ref={preRef} className="attachment-text" onMouseUp={readSelection} onKeyUp={readSelection} tabIndex={0}>
        {inRange ? (
          <>
            {text.slice(0, inRange.start)}
            <mark ref={markRef}>{text.slice(inRange.start, inRange.end)}</mark>
            {text.slice(inRange.end)}
          </>
        ) : (
          text
        )}
      </pre>
    </div>
  );
}

function ImageView({ attachment }: { attachment: Attachment }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let made: string | null = null;
    attachmentBytes(attachment.id)
      .then((bytes) => {
        if (!live) return;
        made = URL.createObjectURL(new Blob([bytes.slice()], { type: attachment.mediaType }));
        setUrl(made);
      })
      .catch((error: unknown) => live && setFailure(errorMessage(error)));
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [attachment.id, attachment.mediaType]);
  if (failure) return <p className="form-failure" role="alert">{failure}</p>;
  return url ? <img className="attachment-image" src={url} alt={attachment.name} /> : <p className="muted">Loading…</p>;
}

function PdfView({ attachment, page, onSelect }: { attachment: Attachment; page: number; onSelect: (draft: ExcerptDraft | null) => void }) {
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    attachmentBytes(attachment.id)
      .then((b) => live && setBytes(b))
      .catch((error: unknown) => live && setFailure(errorMessage(error)));
    return () => {
      live = false;
    };
  }, [attachment.id]);
  if (failure) return <p className="form-failure" role="alert">{failure}</p>;
  if (!bytes) return <p className="muted">Loading the PDF…</p>;
  return <PdfPages bytes={bytes} initialPage={page} onSelect={(s) => onSelect(s ? { attachmentId: attachment.id, quote: s.quote, page: s.page } : null)} />;
}

/** A name a save dialog can suggest: no folders, no leading dot. */
function suggestedName(name: string): string | undefined {
  const cleaned = name.replace(/[\\/\0]/g, '_').replace(/^\.+/, '').slice(0, 200);
  return cleaned || undefined;
}

/**
 * Saves a copy of an attachment: a browser download in the browser mode, the
 * system's save dialog in the desktop window.
 */
export function SaveCopy({ attachment, label = 'Save a copy' }: { attachment: Attachment; label?: string }) {
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = savesAsDownload();
  const save = async () => {
    setStatus(null);
    if (download) {
      await downloadAttachment(attachment);
      return;
    }
    const defaultName = suggestedName(attachment.name);
    const target = await choosePath({ mode: 'save', purpose: 'file', title: 'Save a copy of the attachment', ...(defaultName ? { defaultName } : {}) });
    if (!target) return;
    const saved = await api.call('attachments.export', { id: attachment.id, path: target });
    setStatus(`Saved to ${saved.path}; SHA-256 matches.`);
  };
  const run = () => {
    setBusy(true);
    save()
      .catch((error: unknown) => setStatus(errorMessage(error)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="save-copy">
      <button type="button" onClick={run} disabled={busy} aria-label={`${label}: ${attachment.name}`}>
        {download ? label : `${label}…`}
      </button>
      {status ? <span role="status">{status}</span> : null}
    </div>
  );
}

/**
 * An attachment opened inside the app, in a modal: PDF pages, text, or an
 * image. Selecting a passage offers to quote it as an excerpt.
 */
export function AttachmentViewer({
  attachment,
  page,
  excerpts,
  focusExcerpt,
  onClose,
  onExcerptSaved,
}: {
  attachment: Attachment;
  page: number;
  excerpts: Excerpt[];
  focusExcerpt?: Excerpt | undefined;
  onClose: () => void;
  onExcerptSaved: (excerpt: Excerpt) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [selection, setSelection] = useState<ExcerptDraft | null>(null);
  const [drafting, setDrafting] = useState<ExcerptDraft | null>(null);
  const [shownPage, setShownPage] = useState(page);
  const [status, setStatus] = useState<string | null>(null);
  const mark = focusExcerpt && focusExcerpt.charStart !== null && focusExcerpt.charEnd !== null ? { start: focusExcerpt.charStart, end: focusExcerpt.charEnd } : null;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  useEffect(() => setShownPage(page), [page]);

  const own = excerpts.filter((e) => e.attachmentId === attachment.id);
  const facts = [attachment.mediaType, formatBytes(attachment.size), attachment.pageCount !== null ? `${attachment.pageCount} ${attachment.pageCount === 1 ? 'page' : 'pages'}` : null].filter(Boolean).join(' · ');

  return (
    <dialog
      ref={ref}
      className="viewer-dialog"
      aria-labelledby="viewer-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="viewer-header">
        <div className="viewer-title">
          <h2 id="viewer-title">{attachment.name}</h2>
          <span className="muted">{facts}</span>
          <span className="sha" title="SHA-256 of the stored bytes">
            SHA-256 {attachment.sha256}
          </span>
        </div>
        <SaveCopy attachment={attachment} />
        <button type="button" className="icon" onClick={onClose} aria-label="Close viewer">
          ×
        </button>
      </header>
      <div className="viewer-body">
        <div className="viewer-content">
          {attachment.textStatus !== 'extracted' && attachment.textNote ? <p className="viewer-note">{attachment.textNote}</p> : null}
          {attachment.viewer === 'pdf' ? <PdfView attachment={attachment} page={shownPage} onSelect={setSelection} /> : null}
          {attachment.viewer === 'text' || attachment.viewer === 'html' ? <TextPassages attachment={attachment} mark={mark} onSelect={setSelection} /> : null}
          {attachment.viewer === 'image' ? <ImageView attachment={attachment} /> : null}
          {attachment.viewer === 'none' ? <p className="muted">Caseboard does not show this kind of file. Save a copy to open it with another program.</p> : null}
        </div>
        <aside className="viewer-side" aria-label="Excerpts from this attachment">
          {drafting ? (
            <>
              <h3>New excerpt</h3>
              <ExcerptForm
                sourceId={attachment.sourceId}
                draft={drafting}
                onCancel={() => setDrafting(null)}
                onSaved={(saved) => {
                  setDrafting(null);
                  setSelection(null);
                  setStatus('Excerpt added.');
                  onExcerptSaved(saved);
                }}
              />
            </>
          ) : (
            <>
              <div className="selection-box">
                {selection ? (
                  <>
                    <blockquote className="selected-quote">{selection.quote}</blockquote>
                    <button type="button" className="primary" onClick={() => setDrafting({ ...selection, credibility: 3 })}>
                      Excerpt this passage
                    </button>
                  </>
                ) : (
                  <p className="muted">{attachment.viewer === 'image' || attachment.viewer === 'none' ? 'Excerpts from this file are typed in by hand on the source.' : 'Select a passage to quote it as an excerpt.'}</p>
                )}
              </div>
              {status ? (
                <p className="form-status" role="status">
                  {status}
                </p>
              ) : null}
              <h3>Excerpts ({own.length})</h3>
              <ul className="excerpt-list compact">
                {own.map((e) => (
                  <li key={e.id}>
                    <button type="button" className="link" onClick={() => e.page && setShownPage(e.page)} disabled={!e.page}>
                      {e.page ? `Page ${e.page}` : e.charStart !== null ? `Characters ${e.charStart}–${e.charEnd}` : 'No location'}
                    </button>{' '}
                    <span className="grade">{e.credibility}</span>
                    <q>{e.quote}</q>
                  </li>
                ))}
              </ul>
            </>
          )}
        </aside>
      </div>
    </dialog>
  );
}
