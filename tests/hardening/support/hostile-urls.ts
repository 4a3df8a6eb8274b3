/**
 * URLs a page, a dropped file or a link in a case might try to send the
 * window to. None of them is our UI; at least 100, built from families.
 */
export function hostileUrls(): string[] {
  const urls = new Set<string>([
    'javascript:alert(1)',
    'JavaScript:alert(document.domain)',
    'javascript://app.caseboard/%0aalert(1)',
    ' javascript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'data:application/pdf;base64,JVBERi0=',
    'blob:https://evil.example/0f6e',
    'file:///etc/passwd',
    'file:///C:/Windows/System32/calc.exe',
    'file://server/share/payload.exe',
    'file:///work/main/dist/renderer/index.html',
    'FILE:///etc/shadow',
    'about:blank',
    'about:srcdoc',
    'chrome://settings',
    'chrome://gpu',
    'devtools://devtools/bundled/inspector.html',
    'chrome-extension://abcdefghijklmnop/page.html',
    'view-source:app://caseboard/index.html',
    'filesystem:app://caseboard/temporary/x',
    'ws://127.0.0.1:9222/devtools/browser',
    'wss://evil.example/socket',
    'ftp://evil.example/file',
    'smb://evil.example/share',
    'ms-msdt:/id PCWDiagnostic',
    'search-ms:query=calc',
    'mailto:someone@example.org',
    'tel:+4412345678',
    'intent://evil#Intent;end',
    'http://127.0.0.1:5173/',
    'http://localhost/',
    'http://[::1]/',
    'http://0.0.0.0/',
    'http://169.254.169.254/latest/meta-data/',
    'https://example.com/',
    'https://caseboard.example/',
    'https://evil.example/app://caseboard/',
    '//evil.example/',
    '',
    'app:',
    'app:/',
    'app://',
    'app:///index.html',
    'app:caseboard/index.html',
    'app:/caseboard/index.html',
    'app://caseboard',
    'APP://caseboard/index.html',
    'App://Caseboard/index.html',
    'app://CASEBOARD/index.html',
    'app://caseboard.evil/',
    'app://caseboard.evil.example/index.html',
    'app://caseboard.',
    'app://caseboard./index.html',
    'app://caseboard@evil/',
    'app://caseboard@evil.example/index.html',
    'app://caseboard:secret@evil/',
    'app://user@caseboard/index.html',
    'app://caseboard:80/index.html',
    'app://caseboard:0/',
    'app://caseboard%2f@evil/',
    'app://caseboard%2F..%2F@evil/',
    'app://caseboard%40evil/',
    'app://caseboard%00/index.html',
    'app://caseboard%2e/index.html',
    'app://caseboard\\@evil/',
    'app://caseboard\\index.html',
    'app://evil/caseboard/',
    'app://evil/app://caseboard/',
    'app://xn--caseboard-/index.html',
    'app://caseboаrd/index.html',
    'app://ｃａｓｅｂｏａｒｄ/index.html',
    'app://127.0.0.1/index.html',
    'app://localhost/index.html',
    'app://other/index.html',
    'app://caseboard-evil/',
    'app://evilcaseboard/',
    'app-evil://caseboard/index.html',
    'apps://caseboard/index.html',
    'ap://caseboard/index.html',
  ]);
  for (const scheme of ['http', 'https', 'ws', 'ftp', 'file']) {
    for (const host of ['evil.example', 'caseboard', 'caseboard.evil', '127.0.0.1:8080', 'localhost', 'xn--80ak6aa92e.com']) {
      urls.add(`${scheme}://${host}/`);
      urls.add(`${scheme}://${host}/index.html?next=app://caseboard/`);
    }
  }
  for (const encoded of ['%2e%2e', '%2E%2E', '..%2f', '%252e%252e', '%c0%ae%c0%ae', '..%5c']) {
    urls.add(`app://caseboard${encoded}/index.html`);
    urls.add(`app:${encoded}//caseboard/index.html`);
  }
  return [...urls];
}

/** Our own pages, which navigation must keep allowing. */
export const APP_PAGES = ['app://caseboard/index.html', 'app://caseboard/', 'app://caseboard/index.html#/sources', 'app://caseboard/index.html#/graph?focus=1'];
