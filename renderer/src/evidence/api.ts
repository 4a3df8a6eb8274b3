import { CaseboardError, isErrorPayload } from '../../../shared/errors';
import { formatBytes, MAX_ATTACHMENT_BYTES, MAX_INLINE_BYTES, type AttachResult, type Attachment } from '../../../shared/evidence';
import { withAccessToken } from '../ui/access-token';
import { api } from '../ui/api';
import { downloadFile } from '../ui/download';

/** True in the Electron window (the preload put its bridge on window). */
function inElectron(): boolean {
  return Boolean((window as unknown as { caseboard?: unknown }).caseboard);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export interface UploadOptions {
  sourceId?: string | undefined;
  allowDuplicate?: boolean;
  signal?: AbortSignal;
}

/**
 * Attaches a file the user dropped or picked. The browser mode streams the
 * raw bytes to the server; the Electron window sends small files inline.
 */
export async function uploadAttachment(file: File, options: UploadOptions = {}): Promise<AttachResult> {
  if (file.size > MAX_ATTACHMENT_BYTES) throw new CaseboardError('invalid_input', `${file.name} is ${formatBytes(file.size)}; attachments can be at most ${formatBytes(MAX_ATTACHMENT_BYTES)}.`);
  if (inElectron()) {
    if (file.size > MAX_INLINE_BYTES) {
      throw new CaseboardError('invalid_input', `${file.name} is ${formatBytes(file.size)}; files over ${formatBytes(MAX_INLINE_BYTES)} are imported with the caseboard import command.`);
    }
    const base64 = toBase64(new Uint8Array(await file.arrayBuffer()));
    return api.call('attachments.add', { ...(options.sourceId ? { sourceId: options.sourceId } : {}), file: { name: file.name, base64 }, allowDuplicate: options.allowDuplicate ?? false });
  }
  const query = new URLSearchParams({ name: file.name });
  if (options.sourceId) query.set('sourceId', options.sourceId);
  if (options.allowDuplicate) query.set('allowDuplicate', '1');
  let response: Response;
  try {
    response = await fetch(`/files/attachments?${query.toString()}`, {
      method: 'POST',
      headers: withAccessToken({ 'Content-Type': 'application/octet-stream' }),
      body: file,
      credentials: 'omit',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw new CaseboardError('cancelled', 'The import was cancelled.');
    throw error instanceof CaseboardError ? error : new CaseboardError('internal', 'Caseboard is not reachable; is `caseboard serve` still running?');
  }
  const body = (await response.json().catch(() => null)) as { ok?: boolean; value?: unknown; error?: unknown } | null;
  if (body?.ok) return body.value as AttachResult;
  if (isErrorPayload(body?.error)) throw CaseboardError.fromPayload(body.error);
  throw new CaseboardError('internal', `Caseboard refused the file (HTTP ${response.status}).`);
}

/**
 * Whether attachments are saved as browser downloads (the browser mode). The
 * desktop window saves them through its save dialog instead.
 */
export function savesAsDownload(): boolean {
  return !inElectron();
}

/** An attachment from the browser-mode server, asked for with the page's token. */
async function fetchAttachment(id: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`/files/attachments/${encodeURIComponent(id)}`, { headers: withAccessToken(), credentials: 'omit' });
  } catch {
    throw new CaseboardError('internal', 'Caseboard is not reachable; is `caseboard serve` still running?');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    if (isErrorPayload(body?.error)) throw CaseboardError.fromPayload(body.error);
    throw new CaseboardError('internal', `The attachment could not be loaded (HTTP ${response.status}).`);
  }
  return response;
}

/** An attachment's bytes, for showing it inside the app. */
export async function attachmentBytes(id: string): Promise<Uint8Array> {
  if (inElectron()) return fromBase64((await api.call('attachments.content', { id })).base64);
  return new Uint8Array(await (await fetchAttachment(id)).arrayBuffer());
}

/**
 * Saves an attachment as a browser download. A link to the server cannot
 * carry the token, so the bytes are fetched with it and handed over as a
 * blob, typed so that the browser saves rather than shows them.
 */
export async function downloadAttachment(attachment: Pick<Attachment, 'id' | 'name'>): Promise<void> {
  const bytes = await (await fetchAttachment(attachment.id)).arrayBuffer();
  downloadFile(new Blob([bytes], { type: 'application/octet-stream' }), attachment.name);
}
