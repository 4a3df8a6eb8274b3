import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../helpers/electron-mock'));

import type { Session } from 'electron';
import {
  blockNetwork,
  createAppRequestHandler,
  isPermittedRequestUrl,
  registerAppScheme,
  resolveRendererFile,
  serveRenderer,
} from '../../electron/protocol';
import { NONCE_PLACEHOLDER } from '../../shared/csp';
import { FakeSession, protocol } from '../helpers/electron-mock';

// A built renderer in a temp folder, with secrets beside it that must never be served.
let base: string;
let rendererDir: string;
let handle: ReturnType<typeof createAppRequestHandler>;

const INDEX = `<!doctype html><meta name="caseboard-style-nonce" content="${NONCE_PLACEHOLDER}"><style nonce="${NONCE_PLACEHOLDER}"></style><script type="module" src="./assets/app.js"></script>`;

beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'caseboard-protocol-')));
  rendererDir = path.join(base, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), INDEX);
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("ui");');
  writeFileSync(path.join(rendererDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(path.join(base, 'package.json'), '{"secret":true}');
  writeFileSync(path.join(base, 'renderer-secrets.txt'), 'secret');
  // A link inside the renderer folder that points out of it.
  symlinkSync(path.join(base, 'package.json'), path.join(rendererDir, 'assets', 'escape.json'));
  symlinkSync(base, path.join(rendererDir, 'parent'));
  handle = createAppRequestHandler(rendererDir);
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

function get(url: string, method = 'GET'): Promise<Response> {
  return handle({ url, method });
}

describe('resolveRendererFile', () => {
  it('finds files inside the renderer folder', () => {
    expect(resolveRendererFile(rendererDir, '/assets/app.js')).toBe(path.join(rendererDir, 'assets', 'app.js'));
  });

  it.each([
    '/../package.json',
    '/assets/../../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/package.json',
    '/..%2fpackage.json',
    '/assets%2f..%2f..%2fpackage.json',
    '/..%5cpackage.json',
    '/assets/..\\..\\package.json',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/../renderer-secrets.txt',
    '/../renderer/../package.json',
  ])('refuses the traversal %s', (urlPath) => {
    expect(resolveRendererFile(rendererDir, urlPath)).toBeNull();
  });

  it.each(['//etc/passwd', '/%2fetc%2fpasswd', '/C:%5CWindows%5Cwin.ini', '/C:/Windows/win.ini', '/%5c%5cserver%5cshare%5cfile'])('refuses the absolute path %s', (urlPath) => {
    expect(resolveRendererFile(rendererDir, urlPath)).toBeNull();
  });

  it('refuses the absolute path of a file that exists outside', () => {
    expect(resolveRendererFile(rendererDir, `/${encodeURIComponent(path.join(base, 'package.json'))}`)).toBeNull();
    expect(resolveRendererFile(rendererDir, `/${path.join(base, 'package.json')}`)).toBeNull();
  });

  it.each(['/assets/escape.json', '/parent/package.json'])('refuses the symbolic link %s that leads outside', (urlPath) => {
    expect(resolveRendererFile(rendererDir, urlPath)).toBeNull();
  });

  it.each(['/assets/app.js%00.png', '/%E0%A4%A', '/assets', '/missing.js', 'assets/app.js'])('refuses %s', (urlPath) => {
    expect(resolveRendererFile(rendererDir, urlPath)).toBeNull();
  });
});

describe('the app:// handler', () => {
  it('serves index.html with a fresh nonce in the page and in the CSP on every load', async () => {
    const first = await get('app://caseboard/index.html');
    const second = await get('app://caseboard/');
    const nonceOf = (html: string) => /content="([^"]+)"/.exec(html)?.[1];
    const [firstHtml, secondHtml] = [await first.text(), await second.text()];
    const [a, b] = [nonceOf(firstHtml), nonceOf(secondHtml)];
    expect(first.status).toBe(200);
    expect(firstHtml).not.toContain(NONCE_PLACEHOLDER);
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(a).not.toBe(b);
    expect(first.headers.get('content-security-policy')).toContain(`'nonce-${a}'`);
    expect(second.headers.get('content-security-policy')).toContain(`'nonce-${b}'`);
  });

  it('sends a CSP without unsafe-inline or unsafe-eval, and nosniff, on pages and assets', async () => {
    for (const url of ['app://caseboard/index.html', 'app://caseboard/assets/app.js', 'app://caseboard/assets/app.css', 'app://caseboard/missing.js']) {
      const response = await get(url);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves assets with their media type', async () => {
    const script = await get('app://caseboard/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log("ui");');
    expect((await get('app://caseboard/assets/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each([
    'app://caseboard/../package.json',
    'app://caseboard/%2e%2e/package.json',
    'app://caseboard/..%2fpackage.json',
    'app://caseboard/assets/..%2f..%2fpackage.json',
    'app://caseboard//etc/passwd',
    'app://caseboard/%2fetc%2fpasswd',
    'app://caseboard/assets/escape.json',
    'app://caseboard/parent/package.json',
    'app://caseboard/renderer-secrets.txt',
  ])('answers 404 for %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('secret');
  });

  it.each(['app://other/index.html', 'app://other/assets/app.js', 'app://user@caseboard/index.html', 'app://caseboard:8080/index.html', 'https://caseboard/index.html'])(
    'serves nothing for another host or scheme: %s',
    async (url) => {
      expect((await get(url)).status).toBe(404);
    },
  );

  it('serves nothing for methods other than GET and HEAD', async () => {
    expect((await get('app://caseboard/index.html', 'POST')).status).toBe(404);
    const head = await get('app://caseboard/assets/app.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('scheme registration', () => {
  it('declares app:// standard, secure and fetch-capable, and nothing more', () => {
    registerAppScheme();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('routes app:// to the renderer handler', async () => {
    serveRenderer(rendererDir);
    const [scheme, handler] = protocol.handle.mock.calls.at(-1) ?? [];
    expect(scheme).toBe('app');
    const response = (await (handler as typeof handle)({ url: 'app://caseboard/assets/app.js', method: 'GET' })) as Response;
    expect(response.status).toBe(200);
  });
});

describe('the network block', () => {
  it.each([
    'https://example.com/',
    'http://127.0.0.1:5173/',
    'http://localhost/',
    'ws://localhost:1234/',
    'file:///etc/passwd',
    'ftp://example.com/file',
    'app://other/index.html',
    'app://caseboard.evil.example/',
    'chrome-extension://abc/script.js',
  ])('cancels %s', (url) => {
    const session = new FakeSession();
    blockNetwork(session as unknown as Session);
    const callback = vi.fn();
    session.beforeRequest?.({ url }, callback);
    expect(callback).toHaveBeenCalledWith({ cancel: true });
    expect(isPermittedRequestUrl(url)).toBe(false);
  });

  it.each(['app://caseboard/index.html', 'app://caseboard/assets/app.js', 'devtools://devtools/bundled/devtools_app.html', 'data:image/png;base64,AAAA', 'blob:app://caseboard/0f6e'])(
    'lets %s through',
    (url) => {
      const session = new FakeSession();
      blockNetwork(session as unknown as Session);
      const callback = vi.fn();
      session.beforeRequest?.({ url }, callback);
      expect(callback).toHaveBeenCalledWith({ cancel: false });
    },
  );
});
