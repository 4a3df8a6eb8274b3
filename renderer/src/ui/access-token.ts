/**
 * The browser mode's access token. `caseboard serve` prints a URL carrying it
 * as `?token=`; the page takes it from there before anything else runs, keeps
 * it in sessionStorage (one per origin, so per port, and it survives a
 * reload) and sends it only in the Authorization header of its own requests.
 * It is never put in a cookie: the browser would send a cookie to every
 * server on 127.0.0.1, whatever its port.
 */
const STORAGE_KEY = 'caseboard.token';

function takeTokenFromAddress(): string | null {
  let token: string | null = null;
  try {
    const url = new URL(window.location.href);
    token = url.searchParams.get('token');
    if (token === null) return window.sessionStorage.getItem(STORAGE_KEY);
    window.sessionStorage.setItem(STORAGE_KEY, token);
    url.searchParams.delete('token');
    // Out of the address bar and this history entry, so it is not bookmarked, shared or shown.
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  } catch {
    // Storage refused (a sandboxed frame): the token still serves this page until it is reloaded.
  }
  return token;
}

const token = takeTokenFromAddress();

/** The headers that let a request into the browser-mode server; none in the desktop window. */
export function withAccessToken(headers: Record<string, string> = {}): Record<string, string> {
  return token ? { ...headers, Authorization: `Bearer ${token}` } : headers;
}
