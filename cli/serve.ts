import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { NONCE_PLACEHOLDER, securityHeaders } from '../shared/csp';
import { CaseboardError, toErrorPayload, type ErrorCode } from '../shared/errors';
import { requireOperationName } from '../shared/validate';
import type { Workspace } from '../db/workspace';

const TOKEN_COOKIE = 'caseboard_token';
const MAX_BODY_BYTES = 64 * 1024 * 1024;

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_a_case_file: 422,
  no_case_open: 409,
  not_found: 404,
  conflict: 409,
  unknown_operation: 404,
  cancelled: 409,
  internal: 500,
};

const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
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

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return undefined;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...securityHeaders('none'), 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function refuse(res: http.ServerResponse, status: 401 | 403 | 404 | 405 | 413, message: string): void {
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
 * 127.0.0.1 only. Every request must carry the token and our own Host/Origin;
 * those checks come before any routing.
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
      const value = await options.workspace.call(operation, input, { signal: abort.signal });
      sendJson(res, 200, { ok: true, value: value ?? null });
    } catch (error) {
      if (!(error instanceof CaseboardError)) console.error('caseboard serve:', error);
      const payload = toErrorPayload(error);
      sendJson(res, STATUS[payload.code], { ok: false, error: payload });
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
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const queryToken = url.searchParams.get('token') ?? undefined;
    if (sameToken(queryToken, token) && (req.method === 'GET' || req.method === 'HEAD')) {
      // Trade the token in the URL for a cookie, then drop it from the address bar.
      res.writeHead(303, {
        ...securityHeaders('none'),
        'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname,
      });
      res.end();
      return;
    }
    if (!sameToken(cookieToken(req.headers.cookie), token) && !sameToken(bearer, token)) {
      refuse(res, 401, 'This Caseboard server needs the token from the URL it printed when it started.');
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      void handleApi(req, res, url.pathname.slice('/api/'.length));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, 405, 'Only GET is served here.');
      return;
    }
    serveStatic(res, url.pathname, req.method === 'HEAD');
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
