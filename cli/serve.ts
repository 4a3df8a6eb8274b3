import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { base64Length, formatBytes, INLINE_IMAGE_TYPES, MAX_ATTACHMENT_BYTES, MAX_INLINE_BYTES } from '../shared/evidence';
import { id as idSchema } from '../shared/schemas';
import { NONCE_PLACEHOLDER, securityHeaders } from '../shared/csp';
import { CaseboardError, toErrorPayload, type ErrorCode } from '../shared/errors';
import { requireOperationName } from '../shared/validate';
import { JsonAnswer, type Workspace } from '../db/host/workspace';

// Operations' JSON, which may carry a small file as base64; larger files come through /files/attachments.
const MAX_BODY_BYTES = Math.max(64 * 1024 * 1024, base64Length(MAX_INLINE_BYTES) + 1024 * 1024);

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_a_case_file: 422,
  no_case_open: 409,
  not_found: 404,
  conflict: 409,
  unknown_operation: 404,
  cancelled: 409,
  timed_out: 503,
  internal: 500,
};

const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface ServeOptions {
  workspace: Workspace;
  /** Folder of the built renderer (dist/renderer). */
  rendererDir: string;
  port: number;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request carries: only ever in its Authorization header, never in a cookie or the URL. */
function bearerToken(req: http.IncomingMessage): string | undefined {
  return /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
}

/**
 * The app shell: the built page, scripts, styles and fonts, the same for
 * every case. Everything else touches the case and needs the token.
 */
function isShellRequest(req: http.IncomingMessage, pathname: string): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !pathname.startsWith('/api/') && !pathname.startsWith('/files/');
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...securityHeaders('none'), 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Answers the database thread wrote as JSON (a whole case's graph) and larger than this go gzip-compressed to a
 * client that accepts it: the answer for 50,000 entities is 16 MB of JSON and 3.5 MB compressed, which the
 * browser receives faster than the plain text, and the compression runs off this thread.
 */
const COMPRESS_ANSWERS_ABOVE = 256 * 1024;

/** Whether an Accept-Encoding header accepts gzip (a `q=0` refuses it). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding?.trim() !== 'gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

const ANSWER_HEAD = Buffer.from('{"ok":true,"value":');
const ANSWER_TAIL = Buffer.from('}');

function sendJsonAnswer(req: http.IncomingMessage, res: http.ServerResponse, answer: JsonAnswer): void {
  const body = Buffer.concat([ANSWER_HEAD, answer.bytes, ANSWER_TAIL]);
  const send = (bytes: Buffer, compressed: boolean) => {
    res.writeHead(200, {
      ...securityHeaders('none'),
      'Content-Type': 'application/json; charset=utf-8',
      ...(compressed ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : {}),
      'Content-Length': bytes.length,
    });
    res.end(bytes);
  };
  if (body.length <= COMPRESS_ANSWERS_ABOVE || !acceptsGzip(req.headers['accept-encoding'])) {
    send(body, false);
    return;
  }
  zlib.gzip(body, { level: 1 }, (error, compressed) => {
    if (res.destroyed) return;
    if (error) send(body, false);
    else send(compressed, true);
  });
}

function writeLine(res: http.ServerResponse, body: unknown): void {
  if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(body)}\n`);
}

/**
 * A long operation whose caller asked for progress: one JSON line per
 * progress report, then one with the result or the error. The caller cancels
 * by dropping the connection.
 */
async function streamOperation(res: http.ServerResponse, run: () => Promise<unknown>): Promise<void> {
  res.writeHead(200, { ...securityHeaders('none'), 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
  // Headers go out now, so the caller sees the operation has started.
  res.flushHeaders();
  try {
    const value = await run();
    writeLine(res, { ok: true, value: value ?? null });
  } catch (error) {
    if (!(error instanceof CaseboardError)) console.error('caseboard serve:', error);
    writeLine(res, { ok: false, error: toErrorPayload(error) });
  }
  res.end();
}

function refuse(res: http.ServerResponse, status: 400 | 401 | 403 | 404 | 405 | 413, message: string): void {
  sendJson(res, status, { ok: false, error: { code: 'invalid_input', message } });
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new CaseboardError('invalid_input', 'The request is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The browser mode: the same operations as the Electron window, over HTTP on
 * 127.0.0.1 only. Every request must carry our own Host/Origin, and every
 * request but the app shell's the token as `Authorization: Bearer`; those
 * checks come before any routing.
 */
export function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const rendererRoot = realpathSync(options.rendererDir);
  const indexTemplate = readFileSync(path.join(rendererRoot, 'index.html'), 'utf8');
  let port = options.port;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const serveStatic = (res: http.ServerResponse, urlPath: string, head: boolean) => {
    if (urlPath === '/' || urlPath === '/index.html') {
      const nonce = randomBytes(16).toString('base64');
      const html = indexTemplate.replaceAll(NONCE_PLACEHOLDER, nonce);
      res.writeHead(200, { ...securityHeaders(nonce), 'Content-Type': MEDIA_TYPES['.html'] ?? 'text/html' });
      res.end(head ? undefined : html);
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      refuse(res, 404, 'Not found.');
      return;
    }
    const target = path.resolve(rendererRoot, `.${decoded}`);
    // Path containment: nothing outside the built renderer is ever served.
    if (!target.startsWith(rendererRoot + path.sep) || !existsSync(target) || !statSync(target).isFile() || !realpathSync(target).startsWith(rendererRoot + path.sep)) {
      refuse(res, 404, 'Not found.');
      return;
    }
    const type = MEDIA_TYPES[path.extname(target)] ?? 'application/octet-stream';
    const body = readFileSync(target);
    res.writeHead(200, { ...securityHeaders('none'), 'Content-Type': type, 'Content-Length': body.length });
    res.end(head ? undefined : body);
  };

  const handleApi = async (req: http.IncomingMessage, res: http.ServerResponse, name: string) => {
    if (req.method !== 'POST') {
      refuse(res, 405, 'Operations are called with POST.');
      return;
    }
    try {
      const operation = requireOperationName(name);
      const raw = await readBody(req);
      let input: unknown = {};
      if (raw.length > 0) {
        try {
          input = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new CaseboardError('invalid_input', 'The request body is not valid JSON.');
        }
      }
      const abort = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      if (/\bapplication\/x-ndjson\b/.test(req.headers.accept ?? '')) {
        await streamOperation(res, () => options.workspace.call(operation, input, { signal: abort.signal, onProgress: (progress) => writeLine(res, { progress }) }));
        return;
      }
      const value = await options.workspace.callKeepingJson(operation, input, { signal: abort.signal });
      if (value instanceof JsonAnswer) sendJsonAnswer(req, res, value);
      else sendJson(res, 200, { ok: true, value: value ?? null });
    } catch (error) {
      if (!(error instanceof CaseboardError)) console.error('caseboard serve:', error);
      const payload = toErrorPayload(error);
      sendJson(res, STATUS[payload.code], { ok: false, error: payload });
    }
  };

  const sendError = (res: http.ServerResponse, error: unknown) => {
    if (!(error instanceof CaseboardError)) console.error('caseboard serve:', error);
    const payload = toErrorPayload(error);
    if (!res.headersSent) sendJson(res, STATUS[payload.code], { ok: false, error: payload });
    else res.destroy();
  };

  /**
   * Attachments as files. POST uploads the raw bytes of one file (name and
   * source in the query string) and attaches it; GET sends an attachment back
   * byte for byte as a download that the browser never renders or runs.
   */
  const handleAttachmentFile = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'caseboard-file-'));
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    try {
      if (req.method === 'POST' && url.pathname === '/files/attachments') {
        const name = (url.searchParams.get('name') ?? '').trim();
        if (!name) throw new CaseboardError('invalid_input', 'The uploaded file needs a name.');
        const declared = Number(req.headers['content-length'] ?? '0');
        if (declared > MAX_ATTACHMENT_BYTES) throw new CaseboardError('invalid_input', `${name} is ${formatBytes(declared)}; attachments can be at most ${formatBytes(MAX_ATTACHMENT_BYTES)}.`);
        const target = path.join(scratch, 'upload');
        let size = 0;
        req.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ATTACHMENT_BYTES) req.destroy(new CaseboardError('invalid_input', `${name} is larger than ${formatBytes(MAX_ATTACHMENT_BYTES)}, the most an attachment can be.`));
        });
        await pipeline(req, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
        const sourceId = url.searchParams.get('sourceId') || undefined;
        const value = await options.workspace.call(
          'attachments.add',
          { ...(sourceId ? { sourceId } : {}), file: { path: target, name }, allowDuplicate: url.searchParams.get('allowDuplicate') === '1' },
          { signal: abort.signal },
        );
        sendJson(res, 200, { ok: true, value });
        return;
      }
      if ((req.method === 'GET' || req.method === 'HEAD') && url.pathname.startsWith('/files/attachments/')) {
        const id = idSchema.safeParse(url.pathname.slice('/files/attachments/'.length));
        if (!id.success) {
          refuse(res, 404, 'Not found.');
          return;
        }
        const attachment = await options.workspace.call('attachments.get', { id: id.data });
        const file = path.join(scratch, 'download');
        await options.workspace.call('attachments.export', { id: id.data, path: file }, { signal: abort.signal });
        const inlineImage = (INLINE_IMAGE_TYPES as readonly string[]).includes(attachment.mediaType);
        const asciiName = attachment.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
        res.writeHead(200, {
          ...securityHeaders('none'),
          // Nothing from a case is ever run: no scripts, no plugins, an opaque origin even if opened.
          'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self'",
          'Content-Type': inlineImage ? attachment.mediaType : 'application/octet-stream',
          'Content-Disposition': `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
          'Content-Length': attachment.size,
          'Repr-Digest': `sha-256=:${Buffer.from(attachment.sha256, 'hex').toString('base64')}:`,
        });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        await pipeline(createReadStream(file), res);
        return;
      }
      refuse(res, 405, 'Attachments are uploaded with POST and downloaded with GET.');
    } catch (error) {
      sendError(res, error);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  };

  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) {
      refuse(res, 403, 'Requests must be addressed to 127.0.0.1 or localhost.');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      refuse(res, 403, 'Requests from other sites are refused.');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    // The shell holds no case data, so it loads without the token: the page
    // takes the token from its own address and sends it in a header. A cookie
    // would go to every server on 127.0.0.1, whatever its port.
    if (isShellRequest(req, url.pathname)) {
      serveStatic(res, url.pathname, req.method === 'HEAD');
      return;
    }
    if (!sameToken(bearerToken(req), token)) {
      refuse(res, 401, 'This Caseboard server needs the token from the URL it printed when it started.');
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      void handleApi(req, res, url.pathname.slice('/api/'.length));
      return;
    }
    if (url.pathname === '/files/attachments' || url.pathname.startsWith('/files/attachments/')) {
      void handleAttachmentFile(req, res, url);
      return;
    }
    refuse(res, 405, 'Only GET is served here.');
  });

  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new CaseboardError('conflict', `Port ${options.port} is already in use; choose another with --port.`) : error);
    });
    server.listen(options.port, '127.0.0.1', () => {
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : options.port;
      resolve({
        url: `http://127.0.0.1:${port}/?token=${token}`,
        port,
        token,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
