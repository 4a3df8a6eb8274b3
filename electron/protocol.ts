import { randomBytes } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { protocol, type Session } from 'electron';
import { NONCE_PLACEHOLDER, securityHeaders } from '../shared/csp';

export const APP_SCHEME = 'app';
export const APP_HOST = 'caseboard';
/** Every page and file of the UI lives under this prefix; any other URL is foreign. */
export const APP_URL_PREFIX = `${APP_SCHEME}://${APP_HOST}/`;
/** Where the window loads the UI. */
export const UI_URL = `${APP_URL_PREFIX}index.html`;

// Same list as the browser mode serves, plus the font formats a bundled font may use.
const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** Whether a URL is part of our UI. Chromium hands us canonical URLs, so a prefix test is exact. */
export function isAppUrl(url: string): boolean {
  return url.startsWith(APP_URL_PREFIX);
}

function notFound(): Response {
  return new Response('Not found.', { status: 404, headers: { ...securityHeaders('none'), 'Content-Type': 'text/plain; charset=utf-8' } });
}

function isInside(root: string, target: string): boolean {
  return target.startsWith(root + path.sep);
}

/**
 * Maps the path of an app:// URL to a file inside the built renderer, or null
 * when it names nothing there. `rendererRoot` must already be a real path.
 * Refuses `..` in any spelling, absolute paths, NUL bytes, and symbolic links
 * that lead outside the folder.
 */
export function resolveRendererFile(rendererRoot: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0')) return null;
  const relative = decoded.slice(1);
  // Checked on both separators whatever the platform, so a backslash never sneaks a `..` past us.
  if (path.posix.isAbsolute(relative) || path.win32.isAbsolute(relative)) return null;
  if (relative.split(/[\\/]/).includes('..')) return null;
  const target = path.resolve(rendererRoot, relative);
  if (!isInside(rendererRoot, target)) return null;
  let real: string;
  try {
    real = realpathSync(target);
    if (!statSync(real).isFile()) return null;
  } catch {
    return null;
  }
  return isInside(rendererRoot, real) ? real : null;
}

/** The part of a request the app:// handler reads. */
export type AppRequest = Pick<Request, 'url' | 'method'>;

/**
 * Builds the app:// handler: the built renderer and nothing else, with the
 * Content-Security-Policy on every response and a fresh style nonce in every
 * load of index.html.
 */
export function createAppRequestHandler(rendererDir: string): (request: AppRequest) => Promise<Response> {
  const rendererRoot = realpathSync(rendererDir);
  const indexTemplate = readFileSync(path.join(rendererRoot, 'index.html'), 'utf8');

  return async (request) => {
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) return notFound();
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '') return notFound();

    if (url.pathname === '/' || url.pathname === '/index.html') {
      const nonce = randomBytes(16).toString('base64');
      const html = indexTemplate.replaceAll(NONCE_PLACEHOLDER, nonce);
      return new Response(head ? null : html, { status: 200, headers: { ...securityHeaders(nonce), 'Content-Type': 'text/html; charset=utf-8' } });
    }

    const file = resolveRendererFile(rendererRoot, url.pathname);
    if (!file) return notFound();
    const body = await readFile(file);
    const type = MEDIA_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(head ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...securityHeaders('none'), 'Content-Type': type, 'Content-Length': String(body.length) },
    });
  };
}

/**
 * Declares app:// a standard, secure scheme with fetch, so the UI gets a real
 * origin of its own. Electron accepts this only before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer folder on app://caseboard/. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(rendererDir));
}

/**
 * Whether the session may load a URL at all: our own files, in-memory data
 * and blob URLs (which the CSP already limits and which never touch a
 * network), and the developer tools.
 */
export function isPermittedRequestUrl(url: string): boolean {
  return isAppUrl(url) || url.startsWith('devtools://') || url.startsWith('data:') || url.startsWith('blob:');
}

/** Cancels every request the session makes except to our own files: the app never touches a network. */
export function blockNetwork(session: Session): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isPermittedRequestUrl(details.url) });
  });
}
