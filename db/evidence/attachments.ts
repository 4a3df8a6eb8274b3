import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { CaseboardError } from '../../shared/errors';
import { formatBytes, MAX_ATTACHMENT_BYTES, viewerFor, type Attachment, type AttachmentText, type TextStatus } from '../../shared/evidence';
import type { SourceKind } from '../../shared/schemas';
import { audit, deleteRow, describeChangeSet, insertAttachment, quoteName, type ChangeSet } from '../core/journal';
import type { CaseDb } from '../core/case-file';
import { newId, now } from '../core/clock';
import type { ExtractedText } from './extract';
import { writeOutputBytes } from '../core/output-file';
import { createSource, getSource } from './sources';

interface AttachmentRow {
  id: string;
  source_id: string;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
  text_status: TextStatus;
  text_note: string | null;
  page_count: number | null;
  created_at: string;
}

const COLUMNS = 'id, source_id, name, media_type, size, sha256, text_status, text_note, page_count, created_at';

function toAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    sourceId: row.source_id,
    name: row.name,
    mediaType: row.media_type,
    size: row.size,
    sha256: row.sha256,
    textStatus: row.text_status,
    textNote: row.text_note,
    pageCount: row.page_count,
    createdAt: row.created_at,
    viewer: viewerFor(row.media_type),
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function tooLarge(name: string, size: number): CaseboardError {
  return new CaseboardError('invalid_input', `${name} is ${formatBytes(size)}; attachments can be at most ${formatBytes(MAX_ATTACHMENT_BYTES)}.`);
}

/** Checks a size against the one attachment limit. */
export function checkAttachmentSize(name: string, size: number): void {
  if (size > MAX_ATTACHMENT_BYTES) throw tooLarge(name, size);
}

/**
 * Reads a file from disk for attaching, refusing folders, devices and files
 * over the size limit before reading them.
 */
export function readAttachmentFile(file: string): Uint8Array {
  if (!path.isAbsolute(file)) throw new CaseboardError('invalid_input', 'Give the full path of the file to attach.');
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new CaseboardError('not_found', `${path.basename(file)} does not exist.`);
    if (code === 'EACCES' || code === 'EPERM') throw new CaseboardError('invalid_input', `${path.basename(file)} cannot be read; check its permissions.`);
    if (code === 'EISDIR') throw new CaseboardError('invalid_input', `${path.basename(file)} is a folder, not a file.`);
    throw new CaseboardError('invalid_input', `${path.basename(file)} cannot be read.`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new CaseboardError('invalid_input', `${path.basename(file)} is a folder, not a file.`);
    if (!stat.isFile()) throw new CaseboardError('invalid_input', `${path.basename(file)} is not a regular file.`);
    checkAttachmentSize(path.basename(file), stat.size);
    const bytes = Buffer.allocUnsafe(stat.size);
    let offset = 0;
    while (offset < stat.size) {
      const read = readSync(fd, bytes, offset, stat.size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    if (offset !== stat.size) throw new CaseboardError('invalid_input', `${path.basename(file)} changed while it was being read; try again.`);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

export function getAttachment(db: CaseDb, id: string): Attachment {
  const row = db.prepare(`SELECT ${COLUMNS} FROM attachments WHERE id = ?`).get(id) as AttachmentRow | undefined;
  if (!row) throw new CaseboardError('not_found', 'That attachment is no longer in the case; it may have been deleted.');
  return toAttachment(row);
}

export function listAttachments(db: CaseDb, sourceId: string): Attachment[] {
  getSource(db, sourceId);
  const rows = db.prepare(`SELECT ${COLUMNS} FROM attachments WHERE source_id = ? ORDER BY created_at, id`).all(sourceId) as AttachmentRow[];
  return rows.map(toAttachment);
}

/** Where the same bytes already are in the case, if anywhere. */
export function findBySha256(db: CaseDb, sha256: string): { attachment: Attachment; sourceTitle: string } | null {
  const row = db.prepare(`SELECT ${COLUMNS.split(', ').map((c) => `a.${c}`).join(', ')}, s.title AS source_title FROM attachments a JOIN sources s ON s.id = a.source_id WHERE a.sha256 = ? ORDER BY a.created_at LIMIT 1`).get(sha256) as
    | (AttachmentRow & { source_title: string })
    | undefined;
  return row ? { attachment: toAttachment(row), sourceTitle: row.source_title } : null;
}

export function duplicateMessage(name: string, existing: { attachment: Attachment; sourceTitle: string }): string {
  return `${name} is already in the case: it is "${existing.attachment.name}" on the source "${existing.sourceTitle}".`;
}

/** The bytes of an attachment, exactly as they were attached. */
export function attachmentBytes(db: CaseDb, id: string): { attachment: Attachment; bytes: Buffer } {
  const attachment = getAttachment(db, id);
  const row = db.prepare('SELECT content FROM attachments WHERE id = ?').get(id) as { content: Buffer };
  return { attachment, bytes: row.content };
}

export function attachmentText(db: CaseDb, id: string): AttachmentText {
  getAttachment(db, id);
  const pages = db.prepare('SELECT page, text FROM attachment_pages WHERE attachment_id = ? ORDER BY page').all(id) as { page: number; text: string }[];
  return { attachmentId: id, pages };
}

/**
 * Writes an attachment's bytes to a file, byte for byte, checked against the
 * stored SHA-256. The file appears complete or not at all, as every output
 * does (see output-file); nothing is replaced and no link is followed.
 */
export function exportAttachment(db: CaseDb, id: string, target: string): { path: string; size: number; sha256: string } {
  if (!path.isAbsolute(target)) throw new CaseboardError('invalid_input', 'Give the full path to save the file to.');
  if (existsSync(target)) throw new CaseboardError('conflict', `${path.basename(target)} already exists; choose another name.`);
  const { attachment, bytes } = attachmentBytes(db, id);
  if (sha256Hex(bytes) !== attachment.sha256) throw new CaseboardError('internal', 'The stored file does not match its SHA-256; the case file may be damaged.');
  try {
    writeOutputBytes(target, bytes, { replace: false });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new CaseboardError('invalid_input', `The folder ${path.dirname(target)} does not exist.`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new CaseboardError('invalid_input', `Cannot write to ${path.dirname(target)}; check its permissions.`);
    if (code === 'ENOSPC') throw new CaseboardError('internal', 'The disk is full; the file was not saved.');
    throw error;
  }
  return { path: target, size: attachment.size, sha256: attachment.sha256 };
}

/** A file read, sniffed, hashed and with its text extracted, ready to be stored. */
export interface PreparedFile {
  name: string;
  bytes: Uint8Array;
  mediaType: string;
  sha256: string;
  text: ExtractedText;
}

function kindFor(mediaType: string): SourceKind {
  if (mediaType === 'text/html' || mediaType === 'multipart/related') return 'web_page';
  if (mediaType === 'application/pdf') return 'report';
  return 'other';
}

function titleFor(file: PreparedFile): string {
  const fromDocument = file.text.title?.replace(/\s+/g, ' ').trim();
  if (fromDocument && fromDocument.length >= 3 && !/^untitled$/i.test(fromDocument)) return fromDocument.slice(0, 1000);
  const base = file.name.replace(/\.[A-Za-z0-9]{1,8}$/, '').trim();
  return (base || file.name).slice(0, 1000);
}

/**
 * Stores a prepared file on a source, or on a new source of its own, with its
 * pages of text and audit record. Call inside the operation's transaction.
 */
export function storeAttachment(db: CaseDb, cs: ChangeSet, file: PreparedFile, sourceId: string | undefined, allowDuplicate: boolean) {
  checkAttachmentSize(file.name, file.bytes.length);
  if (!allowDuplicate) {
    const existing = findBySha256(db, file.sha256);
    if (existing) throw new CaseboardError('conflict', duplicateMessage(file.name, existing), [{ path: 'file', message: duplicateMessage(file.name, existing) }]);
  }
  const source = sourceId ? getSource(db, sourceId) : createSource(db, cs, {
    kind: kindFor(file.mediaType),
    title: titleFor(file),
    url: null,
    publisher: null,
    authors: [],
    publishedDate: null,
    accessedAt: null,
    language: null,
    reliability: 'F',
    notes: null,
  });
  const id = newId();
  const name = file.name.slice(0, 1000);
  insertAttachment(
    db,
    cs,
    {
      id,
      source_id: source.id,
      name,
      media_type: file.mediaType,
      size: file.bytes.length,
      sha256: file.sha256,
      content: file.bytes,
      text_status: file.text.status,
      text_note: file.text.note,
      page_count: file.text.pageCount,
      created_at: now(),
    },
    file.text.pages.map((text, index) => ({ page: index + 1, text })),
  );
  const attachment = getAttachment(db, id);
  describeChangeSet(db, cs, `Added attachment ${quoteName(name)}`);
  audit(db, cs, 'create', 'attachment', id, undefined, attachment);
  return { attachment, sourceId: source.id, sourceTitle: source.title, createdSource: !sourceId };
}

/** Takes an attached file out of the case; its bytes stay in the journal while Undo can bring it back. */
export function deleteAttachment(db: CaseDb, cs: ChangeSet, id: string): { id: string } {
  const before = getAttachment(db, id);
  describeChangeSet(db, cs, `Deleted attachment ${quoteName(before.name)}`);
  deleteRow(db, cs, 'attachments', id);
  audit(db, cs, 'delete', 'attachment', id, before, undefined);
  return { id };
}
