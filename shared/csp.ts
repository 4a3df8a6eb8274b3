/**
 * The Content-Security-Policy of the UI in every door: only our own files,
 * no inline script, no eval, no network beyond our own origin. Styles that
 * libraries inject carry the per-load nonce.
 */
export function contentSecurityPolicy(styleNonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${styleNonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Placeholder in index.html replaced with the nonce each time the page is served. */
export const NONCE_PLACEHOLDER = '__CASEBOARD_STYLE_NONCE__';

/** Headers of every response of the UI, the same in the Electron window and the browser mode. */
export function securityHeaders(styleNonce: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(styleNonce),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}
