import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCaseFile } from '../../db/core/case-file';
import { fillCase } from '../helpers/bulk';
import { cliPath, distDir, tempDir } from '../helpers/temp';

interface Served {
  child: ChildProcessWithoutNullStreams;
  port: number;
  token: string;
  url: string;
  file: string;
  stderr: () => string;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  bytes: Buffer;
}

let served: Served;
/** Every reply a test received, checked after it: none may set a cookie. */
let replies: { url: string; reply: Reply }[] = [];

function startServe(file: string): Promise<Served> {
  const child = spawn(process.execPath, [cliPath, 'serve', file, '--port', '0'], {
    env: { ...process.env, CASEBOARD_HOME: tempDir('caseboard-home-') },
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`caseboard serve did not print its URL; stderr: ${stderr}`)), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`caseboard serve exited with ${code}; stderr: ${stderr}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^Open (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))$/m.exec(stdout);
      if (match?.[1] && match[2] && match[3]) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, url: match[1], port: Number(match[2]), token: match[3], file, stderr: () => stderr });
      }
    });
  });
}

function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(force);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Host header to send; null sends none at all. */
  host?: string | null;
}

/** A raw HTTP request: the path is sent exactly as given and the Host header can be anything. */
function request(rawPath: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: served.port,
        method: options.method ?? 'GET',
        path: rawPath,
        headers: options.host === null ? { ...options.headers } : { Host: options.host ?? `127.0.0.1:${served.port}`, ...options.headers },
        setHost: options.host !== null,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const reply = { status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes };
          replies.push({ url: rawPath, reply });
          resolve(reply);
        });
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

function bearer(token = served.token): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

function callApi(name: string, input: unknown, headers: Record<string, string> = bearer()): Promise<Reply> {
  return request(`/api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(input) });
}

beforeAll(() => {
  if (!existsSync(path.join(distDir, 'renderer', 'index.html'))) throw new Error('dist/renderer is missing; run "npm run build" first.');
});

beforeEach(async () => {
  replies = [];
  served = await startServe(path.join(tempDir(), 'serve.caseboard'));
});

afterEach(async () => {
  await stop(served.child);
  // A cookie would reach every other server on 127.0.0.1 too, whatever its port.
  expect(replies.filter(({ reply }) => reply.headers['set-cookie'] !== undefined).map(({ url }) => url)).toEqual([]);
});

describe('where it listens', () => {
  it('prints a 127.0.0.1 URL with a long random token and creates the case file', () => {
    expect(served.url).toBe(`http://127.0.0.1:${served.port}/?token=${served.token}`);
    expect(served.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(existsSync(served.file)).toBe(true);
  });

  it('accepts connections on 127.0.0.1 only, not on other addresses of this machine', async () => {
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal && a.family === 'IPv4')
      .map((a) => a.address);
    const connects = (host: string) =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect({ host, port: served.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
    expect(await connects('127.0.0.1')).toBe(true);
    for (const address of [...others, '::1']) expect(await connects(address), address).toBe(false);
  });

  it('uses a different token each time it starts', async () => {
    const second = await startServe(path.join(tempDir(), 'second.caseboard'));
    try {
      expect(second.token).not.toBe(served.token);
      expect(second.port).not.toBe(served.port);
    } finally {
      await stop(second.child);
    }
  });

  it('stops cleanly on SIGTERM, closing the case file', async () => {
    expect(await stop(served.child)).toBe(0);
    expect(readdirSync(path.dirname(served.file))).toEqual(['serve.caseboard']);
  });
});

describe('the token', () => {
  const ATTACHMENT = '/files/attachments/0190b2a4-6f1e-7c3a-9b2d-4e5f6a7b8c9d';

  it.each([
    ['POST', '/api/case.get'],
    ['POST', '/api/anything'],
    ['GET', '/api/anything'],
    ['HEAD', '/api/case.get'],
    ['DELETE', '/api/sources.delete'],
    ['GET', ATTACHMENT],
    ['HEAD', ATTACHMENT],
    ['POST', '/files/attachments?name=planted.txt'],
    ['GET', '/files/anything'],
    ['POST', '/'],
    ['PUT', '/index.html'],
  ])('is required: %s %s without it answers 401', async (method, url) => {
    const reply = await request(url, { method, ...(method === 'POST' ? { body: 'planted' } : {}) });
    expect(reply.status).toBe(401);
    if (method === 'HEAD') return;
    expect(reply.body).not.toMatch(/<html|"value"/);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false });
  });

  it('a wrong token is refused with 401, however it is sent', async () => {
    const wrong = `${served.token.slice(0, -1)}${served.token.endsWith('A') ? 'B' : 'A'}`;
    for (const headers of [bearer(wrong), bearer(`${served.token}x`), bearer(''), bearer(served.token.slice(0, -1)), { Authorization: served.token }, { Authorization: `Basic ${served.token}` }]) {
      expect((await callApi('case.get', {}, headers)).status).toBe(401);
      expect((await request(ATTACHMENT, { headers })).status).toBe(401);
    }
  });

  it('is taken only from the Authorization header: a cookie or the query string with the right token is refused', async () => {
    expect((await callApi('case.get', {}, { Cookie: `caseboard_token=${served.token}` })).status).toBe(401);
    expect((await request(`/api/case.get?token=${served.token}`, { method: 'POST' })).status).toBe(401);
    expect((await request(`${ATTACHMENT}?token=${served.token}`)).status).toBe(401);
  });

  it('a Bearer token works for operations', async () => {
    const reply = await callApi('case.get', {});
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { title: 'serve', fileName: 'serve.caseboard', path: served.file } });
  });

  it('a Bearer token works for files: an upload, and the same bytes back; without it neither', async () => {
    const content = 'Протокол о сотрудничестве, 2019\n';
    const refused = await request('/files/attachments?name=protocol.txt', { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: content });
    expect(refused.status).toBe(401);
    const uploaded = await request(`/files/attachments?name=${encodeURIComponent('протокол.txt')}`, { method: 'POST', headers: { ...bearer(), 'Content-Type': 'application/octet-stream' }, body: content });
    expect(uploaded.status).toBe(200);
    const { attachment } = JSON.parse(uploaded.body).value as { attachment: { id: string } };
    const file = `/files/attachments/${attachment.id}`;
    const download = await request(file, { headers: bearer() });
    expect(download.status).toBe(200);
    expect(download.body).toBe(content);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    for (const headers of [{}, bearer('wrong'), { Cookie: `caseboard_token=${served.token}` }]) {
      const reply = await request(file, { headers });
      expect(reply.status).toBe(401);
      expect(reply.body).not.toContain('Протокол');
    }
  });

  it('is not needed for the app shell, which holds no case data', async () => {
    const page = await request('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).not.toContain(served.file);
    const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    const style = /href="\.?(\/assets\/[^"]+\.css)"/.exec(page.body)?.[1];
    for (const asset of [script, style, '/index.html', '/pdfjs/standard_fonts/FoxitSerif.pfb']) {
      expect(asset).toBeDefined();
      expect((await request(asset ?? '')).status, asset).toBe(200);
    }
    expect((await request('/', { method: 'HEAD' })).status).toBe(200);
    expect((await request('/no/such/page')).status).toBe(404);
  });

  it('the URL it prints loads the page as it is: no redirect, no cookie', async () => {
    const reply = await request(new URL(served.url).pathname + new URL(served.url).search);
    expect(reply.status).toBe(200);
    expect(reply.headers.location).toBeUndefined();
    expect(reply.headers['set-cookie']).toBeUndefined();
    expect(reply.body).toMatch(/<div id="root"><\/div>/);
    // The page itself never carries the token: only the address the user opened does.
    expect(reply.body).not.toContain(served.token);
  });

  it('no response sets a cookie: pages, operations, streamed operations, files and refusals', async () => {
    await request('/');
    await request(`/?token=${served.token}`);
    await request('/no/such/page');
    await callApi('case.get', {});
    await callApi('case.get', {}, {});
    await callApi('sources.get', { id: 'not an id' });
    await request('/api/case.info', { method: 'POST', headers: { ...bearer(), Accept: 'application/x-ndjson' }, body: '{}' });
    await request('/files/attachments?name=note.txt', { method: 'POST', headers: bearer(), body: 'a note' });
    await request('/api/case.get', { method: 'POST', host: 'evil.example' });
    await callApi('case.get', {}, { ...bearer(), Origin: 'http://evil.example' });
    expect(replies.length).toBe(10);
    expect(replies.map(({ reply }) => reply.headers['set-cookie'])).toEqual(replies.map(() => undefined));
  });
});

describe('a busy port', () => {
  it('makes serve exit 3 at once with one sentence, leaving no case file behind', async () => {
    const file = path.join(tempDir(), 'busy.caseboard');
    const child = spawn(process.execPath, [cliPath, 'serve', file, '--port', String(served.port)], { env: { ...process.env, CASEBOARD_HOME: tempDir('caseboard-home-') } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 5_000);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code, `still running after 5 s; stderr: ${stderr}`).toBe(3);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(stderr).toBe(`caseboard: Port ${served.port} is already in use; choose another with --port.\n`);
    expect(existsSync(file)).toBe(false);
    // The server that holds the port is untouched.
    expect((await callApi('case.get', {})).status).toBe(200);
  });
});

describe('Host and Origin', () => {
  it.each(['evil.example', `evil.example:PORT`, '127.0.0.1:1', `127.0.0.1.evil.example:PORT`, `[::1]:PORT`])('a request for Host %j is refused with 403, even with the token', async (host) => {
    const reply = await request('/api/case.get', { method: 'POST', host: host.replace('PORT', String(served.port)), headers: bearer() });
    expect(reply.status).toBe(403);
    expect(reply.body).not.toContain('"value"');
  });

  it('a request without a Host header is refused', async () => {
    const reply = await request('/api/case.get', { method: 'POST', host: null, headers: bearer() });
    expect([400, 403]).toContain(reply.status);
    expect(reply.body).not.toContain('"value"');
  });

  it('a foreign Host is refused before the token is even looked at', async () => {
    expect((await request('/', { host: 'evil.example' })).status).toBe(403);
  });

  it('localhost with the right port is our own host', async () => {
    expect((await callApi('case.get', {}, { ...bearer(), Host: `localhost:${served.port}` })).status).toBe(200);
  });

  it.each(['http://evil.example', `http://evil.example:PORT`, `https://127.0.0.1:PORT`, 'http://127.0.0.1:1', 'null'])('a request from Origin %j is refused with 403, even with the token', async (origin) => {
    const reply = await callApi('sources.create', { kind: 'article', title: 'planted', reliability: 'A' }, { ...bearer(), Origin: origin.replace('PORT', String(served.port)) });
    expect(reply.status).toBe(403);
    const page = await callApi('sources.page', { startRow: 0, endRow: 10 });
    expect(JSON.parse(page.body).value.total).toBe(0);
  });

  it('our own Origin is accepted', async () => {
    expect((await callApi('case.get', {}, { ...bearer(), Origin: `http://127.0.0.1:${served.port}` })).status).toBe(200);
  });
});

describe('the page', () => {
  async function loadPage(): Promise<Reply> {
    return request('/');
  }

  function nonceOf(reply: Reply): { header: string | undefined; meta: string | undefined } {
    const csp = String(reply.headers['content-security-policy'] ?? '');
    return {
      header: /'nonce-([^']+)'/.exec(csp)?.[1],
      meta: /<meta name="caseboard-style-nonce" content="([^"]*)"/.exec(reply.body)?.[1],
    };
  }

  it('serves index.html with a strict Content-Security-Policy', async () => {
    const page = await loadPage();
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<div id="root"><\/div>/);
    const csp = String(page.headers['content-security-policy'] ?? '');
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(csp).not.toMatch(/https?:/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('puts a fresh nonce in the CSP and the page meta tag on every load', async () => {
    const first = nonceOf(await loadPage());
    const second = nonceOf(await loadPage());
    expect(first.header).toMatch(/^[A-Za-z0-9+/]{16,}={0,2}$/);
    expect(first.meta).toBe(first.header);
    expect(second.meta).toBe(second.header);
    expect(second.header).not.toBe(first.header);
    expect((await loadPage()).body).not.toContain('__CASEBOARD_STYLE_NONCE__');
  });

  it('serves the built assets the page refers to', async () => {
    const page = await loadPage();
    const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const asset = await request(script ?? '');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/package.json',
    '/assets/../../package.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/%2e%2e%2fpackage.json',
    '/assets/..%2f..%2fpackage.json',
    '/..%5cpackage.json',
    '/../../../../../../etc/passwd',
    '/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '//etc/passwd',
    '/%00',
    '/%E0%A4%A',
    '/../cli.cjs',
    '/..%2fcli.cjs',
  ])('never serves files outside dist/renderer: %s', async (url) => {
    const reply = await request(url, { headers: bearer() });
    expect(reply.status).toBe(404);
    expect(reply.body).not.toMatch(/devDependencies|root:|require\(/);
  });
});

describe('operations over HTTP', () => {
  it('creates and lists sources', async () => {
    const created = await callApi('sources.create', { kind: 'article', title: 'Московский авиационный институт', reliability: 'B' });
    expect(created.status).toBe(200);
    expect(JSON.parse(created.body).value).toMatchObject({ title: 'Московский авиационный институт' });
    const page = JSON.parse((await callApi('sources.page', { startRow: 0, endRow: 10 })).body);
    expect(page).toMatchObject({ ok: true, value: { total: 1 } });
  });

  it('an unknown operation answers 404 unknown_operation', async () => {
    const reply = await callApi('sources.drop', {});
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'unknown_operation' } });
  });

  it('bad input answers 400 invalid_input with the field issues', async () => {
    const reply = await callApi('sources.create', { kind: 'article', title: '   ', url: 'javascript:alert(1)', reliability: 'G' });
    expect(reply.status).toBe(400);
    const body = JSON.parse(reply.body);
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['reliability', 'title', 'url']);
  });

  it('GET on an operation answers 405', async () => {
    expect((await request('/api/case.get', { headers: bearer() })).status).toBe(405);
    expect((await request('/api/x', { headers: bearer() })).status).toBe(405);
  });

  it('a body that is not JSON answers 400 invalid_input', async () => {
    const reply = await request('/api/sources.create', { method: 'POST', headers: { ...bearer(), 'Content-Type': 'application/json' }, body: '{"kind": "article", title' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'The request body is not valid JSON.' } });
  });

  it('a missing source answers 404 not_found', async () => {
    const reply = await callApi('sources.get', { id: '0190b2a4-6f1e-7c3a-9b2d-4e5f6a7b8c9d' });
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('errors carry no stack traces or SQL', async () => {
    const replies = await Promise.all([callApi('sources.page', { startRow: 0, endRow: 10, sort: [{ colId: 'title; DROP TABLE sources', sort: 'asc' }] }), callApi('sources.get', { id: "' OR 1=1 --" })]);
    for (const reply of replies) {
      expect(reply.status).toBe(400);
      expect(reply.body).not.toMatch(/\n\s+at |SqliteError|SELECT /);
    }
    expect(JSON.parse((await callApi('case.info', { full: true })).body).value.integrity).toBe('ok');
    expect(served.stderr()).not.toMatch(/\n\s+at /);
  });
});

describe('large answers', () => {
  it('go gzip-compressed to a client that accepts it, and as plain JSON to one that does not', async () => {
    const file = path.join(tempDir(), 'large.caseboard');
    const db = createCaseFile(file, { title: 'Large' });
    fillCase(db, 2_000, 4_000);
    db.close();
    await stop(served.child);
    served = await startServe(file);
    const plain = await callApi('graph.load', {});
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.length).toBeGreaterThan(256 * 1024);
    const compressed = await callApi('graph.load', {}, { ...bearer(), 'Accept-Encoding': 'gzip, deflate, br' });
    expect(compressed.status).toBe(200);
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(compressed.headers.vary).toBe('Accept-Encoding');
    expect(Number(compressed.headers['content-length'])).toBe(compressed.bytes.length);
    expect(compressed.bytes.length).toBeLessThan(plain.bytes.length / 2);
    expect(JSON.parse(gunzipSync(compressed.bytes).toString('utf8'))).toEqual(JSON.parse(plain.body));
    // gzip refused by its weight, and answers too small to gain, go as they are.
    const refused = await callApi('graph.load', {}, { ...bearer(), 'Accept-Encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body).toBe(plain.body);
    const small = await callApi('sources.page', { startRow: 0, endRow: 10 }, { ...bearer(), 'Accept-Encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body)).toMatchObject({ ok: true });
  });
});
