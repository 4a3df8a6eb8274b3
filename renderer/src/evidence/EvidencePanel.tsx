import './evidence.css';
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { formatBytes, type Attachment, type Excerpt } from '../../../shared/evidence';
import { api, errorMessage } from '../ui/api';
import { savesAsDownload, uploadAttachment } from './api';
import type { Place } from '../ui/place';
import { AttachmentViewer, SaveCopy } from './AttachmentViewer';
import { ExcerptForm, ExcerptTranslation } from './ExcerptForm';

const TEXT_STATUS_LABELS: Record<Attachment['textStatus'], string> = {
  extracted: 'text searchable',
  no_text: 'no text',
  failed: 'no text could be extracted',
  not_applicable: 'kept as is',
};

function excerptLocation(excerpt: Excerpt, attachments: Attachment[]): string {
  const file = attachments.find((a) => a.id === excerpt.attachmentId)?.name;
  const where = excerpt.page !== null ? `page ${excerpt.page}` : excerpt.charStart !== null ? `characters ${excerpt.charStart}–${excerpt.charEnd}` : null;
  return [file, where, excerpt.location].filter(Boolean).join(', ') || 'typed in by hand';
}

/** Hooks for files dragged onto an element: the files, and whether something is over it. */
export function useFileDrop(onFiles: (files: File[]) => void) {
  const [over, setOver] = useState(false);
  const handlers = {
    onDragOver: (event: DragEvent) => {
      if (!event.dataTransfer.types.includes('Files')) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      setOver(true);
    },
    onDragLeave: () => setOver(false),
    onDrop: (event: DragEvent) => {
      if (!event.dataTransfer.types.includes('Files')) return;
      event.preventDefault();
      setOver(false);
      onFiles([...event.dataTransfer.files]);
    },
  };
  return { over, handlers };
}

/** The evidence of one source: its attached files and the excerpts quoted from it. */
export function EvidencePanel({ sourceId, place }: { sourceId: string; place?: Place | null | undefined }) {
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [excerpts, setExcerpts] = useState<Excerpt[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [messages, setMessages] = useState<string[]>([]);
  const [uploading, setUploading] = useState<string | null>(null);
  const [viewing, setViewing] = useState<{ attachment: Attachment; page: number; excerpt?: Excerpt | undefined; passage?: { start: number; end: number } | undefined } | null>(null);
  const [editing, setEditing] = useState<Excerpt | 'new' | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const placeUsed = useRef<Place | null>(null);

  const load = useCallback(async () => {
    try {
      const [a, e] = await Promise.all([api.call('attachments.list', { sourceId }), api.call('excerpts.list', { sourceId })]);
      setAttachments(a);
      setExcerpts(e);
      setFailure(null);
      return { a, e };
    } catch (error) {
      setFailure(errorMessage(error));
      return null;
    }
  }, [sourceId]);

  useEffect(() => {
    void load().then((loaded) => {
      if (!loaded || !place || placeUsed.current === place) return;
      placeUsed.current = place;
      const excerpt = place.excerpt ? loaded.e.find((x) => x.id === place.excerpt) : undefined;
      const attachmentId = place.attachment ?? excerpt?.attachmentId ?? undefined;
      const attachment = loaded.a.find((x) => x.id === attachmentId);
      const passage = place.start !== undefined && place.end !== undefined ? { start: place.start, end: place.end } : undefined;
      if (attachment) setViewing({ attachment, page: place.page ?? excerpt?.page ?? 1, excerpt, passage });
    });
  }, [load, place]);

  const attach = async (files: File[]) => {
    const notes: string[] = [];
    for (const file of files) {
      setUploading(file.name);
      try {
        // A file without text is listed with its note; only refusals need a message here.
        await uploadAttachment(file, { sourceId });
      } catch (error) {
        notes.push(errorMessage(error));
      }
    }
    setUploading(null);
    setMessages(notes);
    await load();
  };
  const { over, handlers } = useFileDrop((files) => void attach(files));

  const removeAttachment = async (attachment: Attachment) => {
    try {
      await api.call('attachments.delete', { id: attachment.id });
      await load();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };
  const removeExcerpt = async (excerpt: Excerpt) => {
    try {
      await api.call('excerpts.delete', { id: excerpt.id });
      await load();
    } catch (error) {
      setFailure(errorMessage(error));
    }
  };

  return (
    <section className="evidence" aria-label="Evidence">
      <div className={over ? 'evidence-section drop-target over' : 'evidence-section drop-target'} {...handlers} data-testid="attachment-drop">
        <div className="section-header">
          <h3>Attachments</h3>
          <button type="button" onClick={() => picker.current?.click()} disabled={uploading !== null}>
            Attach files…
          </button>
          <input ref={picker} type="file" multiple hidden aria-label="Attach files" onChange={(e) => void attach([...(e.target.files ?? [])]).then(() => (e.target.value = ''))} />
        </div>
        {uploading ? (
          <p className="form-status" role="status">
            Attaching {uploading}…
          </p>
        ) : null}
        {messages.map((m) => (
          <p key={m} className="evidence-message" role="status">
            {m}
          </p>
        ))}
        {attachments.length === 0 ? <p className="muted drop-hint">Drop files here, or attach them from your disk: PDF, web pages, text, images or any other file.</p> : null}
        <ul className="attachment-list">
          {attachments.map((a) => (
            <li key={a.id}>
              <div className="attachment-name">
                <button type="button" className="link" onClick={() => setViewing({ attachment: a, page: 1 })} title="Open inside Caseboard">
                  {a.name}
                </button>
              </div>
              <div className="attachment-facts">
                {a.mediaType} · {formatBytes(a.size)}
                {a.pageCount !== null ? ` · ${a.pageCount} ${a.pageCount === 1 ? 'page' : 'pages'}` : ''} ·{' '}
                <span className={`text-status ${a.textStatus}`}>{TEXT_STATUS_LABELS[a.textStatus]}</span>
              </div>
              {a.textStatus === 'failed' || a.textStatus === 'no_text' ? <div className="attachment-note">{a.textNote}</div> : null}
              <div className="attachment-sha" title="SHA-256">
                {a.sha256}
              </div>
              <div className="attachment-actions">
                <button type="button" onClick={() => setViewing({ attachment: a, page: 1 })}>
                  Open
                </button>
                {savesAsDownload() ? <SaveCopy attachment={a} label="Save" /> : null}
                <button type="button" className="danger-outline" onClick={() => void removeAttachment(a)}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      </div>

      <div className="evidence-section">
        <div className="section-header">
          <h3>Excerpts</h3>
          <button type="button" onClick={() => setEditing('new')}>
            Add excerpt
          </button>
        </div>
        {editing === 'new' ? (
          <ExcerptForm
            sourceId={sourceId}
            draft={{ quote: '', credibility: 3 }}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              void load();
            }}
          />
        ) : null}
        {excerpts.length === 0 && editing === null ? <p className="muted">No excerpts yet. Select a passage in an attachment, or type one in.</p> : null}
        <ul className="excerpt-list">
          {excerpts.map((e) =>
            editing !== null && editing !== 'new' && editing.id === e.id ? (
              <li key={e.id}>
                <ExcerptForm
                  sourceId={sourceId}
                  excerpt={e}
                  draft={e}
                  onCancel={() => setEditing(null)}
                  onSaved={() => {
                    setEditing(null);
                    void load();
                  }}
                />
              </li>
            ) : (
              <li key={e.id} className="excerpt" data-excerpt-id={e.id}>
                <blockquote>{e.quote}</blockquote>
                <ExcerptTranslation excerpt={e} />
                <div className="excerpt-meta">
                  <span className="grade" title="Credibility">
                    {e.credibility}
                  </span>
                  <span>{excerptLocation(e, attachments)}</span>
                </div>
                {e.comment ? <p className="excerpt-comment">{e.comment}</p> : null}
                <p className="excerpt-cited muted">{e.citedBy.length === 0 ? 'Not cited by any entity or link yet.' : `Cited by ${e.citedBy.map((c) => c.label).join(', ')}`}</p>
                <div className="attachment-actions">
                  {e.attachmentId ? (
                    <button
                      type="button"
                      onClick={() => {
                        const attachment = attachments.find((a) => a.id === e.attachmentId);
                        if (attachment) setViewing({ attachment, page: e.page ?? 1, excerpt: e });
                      }}
                    >
                      Show in file
                    </button>
                  ) : null}
                  <button type="button" onClick={() => setEditing(e)}>
                    Edit
                  </button>
                  <button type="button" className="danger-outline" onClick={() => void removeExcerpt(e)}>
                    Delete
                  </button>
                </div>
              </li>
            ),
          )}
        </ul>
      </div>
      {failure ? (
        <p className="form-failure" role="alert">
          {failure}
        </p>
      ) : null}
      {viewing ? (
        <AttachmentViewer
          attachment={viewing.attachment}
          page={viewing.page}
          excerpts={excerpts}
          focusExcerpt={viewing.excerpt}
          focusPassage={viewing.passage}
          onClose={() => setViewing(null)}
          onExcerptSaved={() => void load()}
        />
      ) : null}
    </section>
  );
}
