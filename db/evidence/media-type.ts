/**
 * Media types sniffed from a file's first bytes. The name's extension is never
 * trusted for what a file is; it only tells Markdown from other plain text.
 */

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((b, i) => bytes[offset + i] === b);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < Math.min(end, bytes.length); i += 1) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}

/** Bytes that never occur in text (the WHATWG sniffing standard's "binary data bytes"). */
function isBinaryByte(b: number): boolean {
  return b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f);
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);
}

const HTML_START = /^(?:<!doctype\s+html|<html|<head|<body|<script|<iframe|<h1|<div|<font|<table|<a[\s>]|<style|<title|<b[\s>]|<br|<p[\s>]|<!--|<meta|<article|<section)/i;

/** Decodes the start of a text file well enough to look at its first characters. */
function textHead(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 4096);
  if (startsWith(head, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(head.subarray(2));
  if (startsWith(head, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(head.subarray(2));
  const start = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  return new TextDecoder('utf-8').decode(head.subarray(start));
}

export function sniffMediaType(bytes: Uint8Array, fileName = ''): string {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  const first = ascii(bytes, 0, 12);
  if (first.startsWith('GIF87a') || first.startsWith('GIF89a')) return 'image/gif';
  if (first.startsWith('RIFF') && first.slice(8, 12) === 'WEBP') return 'image/webp';
  // PDF readers accept the header anywhere in the first kilobyte.
  if (ascii(bytes, 0, 1024).includes('%PDF-')) return 'application/pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'application/gzip';

  const sample = bytes.subarray(0, 8192);
  if (!hasUtf16Bom(sample) && sample.some(isBinaryByte)) return 'application/octet-stream';

  const head = textHead(bytes).replace(/^[\s\uFEFF]+/, '');
  // MHTML (a saved web page): MIME headers announcing multipart/related.
  const headers = head.slice(0, 2048);
  if (/^(?:[A-Za-z-]+:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)+/.test(headers) && /^content-type:\s*multipart\/related/im.test(headers)) return 'multipart/related';
  if (HTML_START.test(head)) return 'text/html';
  if (/^<\?xml[^>]*>\s*(?:<!--[\s\S]*?-->\s*)*(?:<!doctype\s+svg[^>]*>\s*)?<svg[\s>]/i.test(head) || /^<svg[\s>]/i.test(head)) return 'image/svg+xml';
  if (/^<\?xml/i.test(head) && /<html[\s>]/i.test(head)) return 'text/html';
  if (/\.(?:md|markdown)$/i.test(fileName)) return 'text/markdown';
  return 'text/plain';
}
