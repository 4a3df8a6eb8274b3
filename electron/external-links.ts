import { shell } from 'electron';

/** The only kinds of address Caseboard ever hands to the system: web pages over TLS and e-mail. */
const EXTERNAL_PROTOCOLS = new Set(['https:', 'mailto:']);
const MAX_URL_LENGTH = 2048;

/**
 * Whether a URL may leave the app for the system's browser or mail client.
 * Anything that could run a program or read a file (file:, smb:, a custom
 * scheme registered by another app, javascript:) is refused, as are
 * credentials in https URLs and control characters that some handlers split on.
 */
export function isAllowedExternalUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) return false;
  if (/[\s\\]/.test(url) || [...url].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (!EXTERNAL_PROTOCOLS.has(parsed.protocol)) return false;
  if (parsed.protocol === 'https:') return parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
  return parsed.pathname.length > 0;
}

/**
 * Opens a link in the system's browser or mail client: the one place the app
 * calls shell.openExternal. Returns whether the link was handed over.
 */
export async function openExternalLink(url: unknown): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) return false;
  await shell.openExternal(new URL(url).href, { activate: true });
  return true;
}
