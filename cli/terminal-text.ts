// Control characters can move a terminal's cursor, rewrite what it showed or change its settings, and
// bidirectional overrides can make text read differently from what it is.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_ON_A_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text that came from a case file (possibly someone else's), made safe to
 * print on a terminal: each unsafe character is shown as its \uXXXX escape.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE_ON_A_TERMINAL, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
