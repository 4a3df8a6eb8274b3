import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { formatBytes, type Attachment, type Excerpt } from '../../../shared/evidence';
import type { Mention } from '../../../shared/mentions';
import { api, choosePath, errorMessage } from '../ui/api';
import { changed, useOperation } from '../ui/data';
import { attachmentBytes, downloadAttachment, savesAsDownload } from './api';
import { ClaimFromSelection, MAX_NAME_LENGTH, type ClaimKind } from './ClaimFromSelection';
import { ExcerptForm, ExcerptTranslation, type ExcerptDraft } from './ExcerptForm';
import { PdfPages } from './PdfPages';

interface Passage {
  start: number;
  end: number;
  /** The entity a mention names; none for the passage the viewer was opened at. */
  entity?: string;
}

/**
 * The text with its passages marked: the one the viewer was opened at, and
 * every mention of a known entity. Where they overlap, the first kept wins
 * and the focused passage is kept first.
 */
function markedText(text: string, focus: Passage | null, mentions: readonly Passage[], focusRef: RefObject<HTMLElement | null>): ReactNode[] {
  const kept: Passage[] = [];
  const overlaps = (p: Passage) => kept.some((k) => p.start < k.end && k.start < p.end);
  if (focus && focus.end <= text.length) kept.push(focus);
  for (const m of mentions) if (m.end <= text.length && !overlaps(m)) kept.push(m);
  kept.sort((a, b) => a.start - b.start);
  const nodes: ReactNode[] = [];
  let at = 0;
  for (const p of kept) {
    nodes.push(text.slice(at, p.start));
    nodes.push(
      p === focus ? (
        <mark key={`focus-${p.start}`} ref={focusRef}>
          {text.slice(p.start, p.end)}
        </mark>
      ) : (
        <mark key={`${p.entity ?? ''}-${p.start}`} className="mention" title={`Mentions ${p.entity ?? 'an entity'}`}>
          {text.slice(p.start, p.end)}
        </mark>
      ),
    );
    at = p.end;
  }
  nodes.push(text.slice(at));
  return nodes;
}

/** The extracted text of a text or web page attachment, where a passage can be selected with its character offsets. */
function TextPassages({
  attachment,
  mark,
  mentions,
  onSelect,
}: {
  attachment: Attachment;
  mark: { start: number; end: number } | null;
  mentions: readonly Mention[];
  onSelect: (draft: ExcerptDraft | null) => void;
}) {
  const [pages, setPages] = useState<string[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const preRef = useRef<HTMLPreElement>(null);
  const markRef = useRef<HTMLElement>(null);

  useEffect(() => {
    let live = true;
    api
      .call('attachments.text', { id: attachment.id })
      .then((result) => live && setPages(result.pages.map((p) => p.text)))
      .catch((error: unknown) => live && setFailure(errorMessage(error)));
    return () => {
      live = false;
    };
  }, [attachment.id]);

  const text = pages === null ? null : pages.join('\n\n');
  useEffect(() => {
    // Chromium's scrollIntoView now answers with a promise, which React must not take for a cleanup.
    void markRef.current?.scrollIntoView({ block: 'center' });
  }, [text, mark]);

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
  if (text === null || pages === null) return <p className="muted">Loading the text…</p>;
  if (text === '') return <p className="muted">{attachment.textNote ?? 'There is no text to show.'}</p>;
  // Pages are shown one after another, two line breaks apart; a mention's offsets are into its own page.
  const pageStarts: number[] = [];
  pages.reduce((at, page) => (pageStarts.push(at), at + page.length + 2), 0);
  const passages = mentions.map((m) => {
    const base = pageStarts[(m.page ?? 1) - 1] ?? 0;
    return { start: base + m.start, end: base + m.end, entity: m.entity.name };
  });
  return (
    <div className="text-viewer">
      {attachment.viewer === 'html' ? <p className="viewer-note">The page&apos;s visible text, without its scripts, styles or images. Save the file to see the original.</p> : null}
      <pre ref={preRef} className="attachment-text" onMouseUp={readSelection} onKeyUp={readSelection} tabIndex={0}>
        {markedText(text, mark, passages, markRef)}
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

function PdfView({
  attachment,
  page,
  mentions,
  excerpts,
  onSelect,
}: {
  attachment: Attachment;
  page: number;
  mentions: readonly Mention[];
  /** Excerpts quoted from this file, kept marked on their pages. */
  excerpts: readonly Excerpt[];
  onSelect: (draft: ExcerptDraft | null) => void;
}) {
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
  return (
    <PdfPages
      bytes={bytes}
      initialPage={page}
      highlights={[
        ...excerpts.filter((e) => e.page !== null).map((e) => ({ page: e.page ?? 1, text: e.quote, kind: 'excerpt' as const })),
        ...mentions.map((m) => ({ page: m.page ?? 1, text: m.text, kind: 'mention' as const })),
      ]}
      onSelect={(s) => onSelect(s ? { attachmentId: attachment.id, quote: s.quote, page: s.page } : null)}
    />
  );
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
  focusPassage,
  onClose,
  onExcerptSaved,
}: {
  attachment: Attachment;
  page: number;
  excerpts: Excerpt[];
  focusExcerpt?: Excerpt | undefined;
  /** A passage to show marked (a mention opened from an entity), as offsets into the page's text. */
  focusPassage?: { start: number; end: number } | undefined;
  onClose: () => void;
  onExcerptSaved: (excerpt: Excerpt) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [selection, setSelection] = useState<ExcerptDraft | null>(null);
  const [drafting, setDrafting] = useState<ExcerptDraft | null>(null);
  const [claiming, setClaiming] = useState<{ kind: ClaimKind; selection: ExcerptDraft } | null>(null);
  const [shownPage, setShownPage] = useState(page);
  const [status, setStatus] = useState<string | null>(null);
  const [excerpting, setExcerpting] = useState<string | null>(null);
  const opened = focusExcerpt && focusExcerpt.charStart !== null && focusExcerpt.charEnd !== null ? { start: focusExcerpt.charStart, end: focusExcerpt.charEnd } : (focusPassage ?? null);
  const [mark, setMark] = useState<{ start: number; end: number } | null>(opened);
  const openedStart = opened?.start;
  const openedEnd = opened?.end;
  useEffect(() => setMark(openedStart !== undefined && openedEnd !== undefined ? { start: openedStart, end: openedEnd } : null), [openedStart, openedEnd]);
  const mentions = useOperation('mentions.list', { attachmentId: attachment.id }, { domains: ['model', 'evidence'] });
  const shownMentions = mentions.data?.mentions ?? [];

  const mentionKey = (m: Mention) => `${m.entity.id}:${m.page ?? 0}:${m.start}`;
  const showMention = (m: Mention) => {
    if (m.page !== null) setShownPage(m.page);
    else setMark({ start: m.start, end: m.end });
  };
  const excerptMention = (m: Mention) => {
    setExcerpting(mentionKey(m));
    setStatus(null);
    api
      .call('mentions.excerpt', { entityId: m.entity.id, attachmentId: m.attachment.id, page: m.page, start: m.start, end: m.end })
      .then((saved) => {
        setStatus(`Excerpt added: “${saved.quote.length > 80 ? `${saved.quote.slice(0, 79)}…` : saved.quote}”. Cite it from ${m.entity.name}’s panel.`);
        changed(['evidence']);
        onExcerptSaved(saved);
      })
      .catch((error: unknown) => setStatus(errorMessage(error)))
      .finally(() => setExcerpting(null));
  };

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
          {attachment.viewer === 'pdf' ? <PdfView attachment={attachment} page={shownPage} mentions={shownMentions} excerpts={own} onSelect={setSelection} /> : null}
          {attachment.viewer === 'text' || attachment.viewer === 'html' ? <TextPassages attachment={attachment} mark={mark} mentions={shownMentions} onSelect={setSelection} /> : null}
          {attachment.viewer === 'image' ? <ImageView attachment={attachment} /> : null}
          {attachment.viewer === 'none' ? <p className="muted">Caseboard does not show this kind of file. Save a copy to open it with another program.</p> : null}
        </div>
        <aside className="viewer-side" aria-label="Excerpts from this attachment">
          {claiming ? (
            <>
              <ClaimFromSelection
                kind={claiming.kind}
                sourceId={attachment.sourceId}
                selection={claiming.selection}
                onCancel={() => setClaiming(null)}
                onSaved={(answer, message) => {
                  setClaiming(null);
                  setSelection(null);
                  setStatus(message);
                  onExcerptSaved(answer.excerpt);
                }}
              />
            </>
          ) : drafting ? (
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
                    {selection.quote.length <= MAX_NAME_LENGTH ? (
                      <div className="claim-actions" role="group" aria-label="Make the passage a name">
                        <button type="button" onClick={() => setClaiming({ kind: 'new-entity', selection })}>
                          New entity…
                        </button>
                        <button type="button" onClick={() => setClaiming({ kind: 'alias', selection })}>
                          Alias of an entity…
                        </button>
                      </div>
                    ) : (
                      <p className="muted">A name is at most {MAX_NAME_LENGTH} characters; select a shorter passage to make it an entity or an alias.</p>
                    )}
                  </>
                ) : (
                  <p className="muted">{attachment.viewer === 'image' || attachment.viewer === 'none' ? 'Excerpts from this file are typed in by hand on the source.' : 'Select a passage to quote it as an excerpt, or to make it the name of an entity.'}</p>
                )}
              </div>
              {status ? (
                <p className="form-status" role="status">
                  {status}
                </p>
              ) : null}
              <h3>Mentions ({shownMentions.length})</h3>
              {mentions.error ? (
                <p className="form-failure" role="alert">
                  {mentions.error}
                </p>
              ) : null}
              {shownMentions.length === 0 && !mentions.error ? <p className="muted">No known entity is named in this file’s text.</p> : null}
              <ul className="mention-list compact" aria-label="Mentions of entities in this file">
                {shownMentions.map((m) => (
                  <li key={mentionKey(m)}>
                    <button type="button" className="link" onClick={() => showMention(m)} title="Show it in the file">
                      {m.entity.name}
                    </button>
                    <span className="muted">{m.page !== null ? `page ${m.page}` : `characters ${m.start}–${m.end}`}</span>
                    {m.text !== m.entity.name ? <q>{m.text}</q> : null}
                    <button
                      type="button"
                      className="mention-excerpt"
                      onClick={() => excerptMention(m)}
                      disabled={excerpting !== null}
                      aria-label={`Excerpt the sentence mentioning ${m.entity.name}${m.page !== null ? ` on page ${m.page}` : ` at characters ${m.start}–${m.end}`}`}
                    >
                      {excerpting === mentionKey(m) ? 'Adding…' : 'Excerpt'}
                    </button>
                  </li>
                ))}
              </ul>
              <h3>Excerpts ({own.length})</h3>
              <ul className="excerpt-list compact">
                {own.map((e) => (
                  <li key={e.id}>
                    <button type="button" className="link" onClick={() => e.page && setShownPage(e.page)} disabled={!e.page}>
                      {e.page ? `Page ${e.page}` : e.charStart !== null ? `Characters ${e.charStart}–${e.charEnd}` : 'No location'}
                    </button>{' '}
                    <span className="grade">{e.credibility}</span>
                    <q>{e.quote}</q>
                    <ExcerptTranslation excerpt={e} />
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
