// Control characters from a storyboard or a server (ESC, BEL, CSI…) shown visibly instead of reaching a terminal,
// where they could set the window title, clear the screen or rewrite what was printed.

/**
 * Everything but tab, newline and printable text: the C0 controls, DEL, and the C1 controls (U+0080–U+009F, which
 * include the 8-bit CSI). Written as a negated class because lint forbids control characters in a pattern.
 */
const CONTROL = /[^\t\n\u0020-\u007e\u00a0-\uffff]/g;

/**
 * `text` with every control character but tab and newline (CRLF counts as a newline) written as a visible
 * `\u001b`-style escape. The escape is the one JSON uses, so a JSON line stays valid JSON (and decodes to the
 * same text) after escaping.
 */
export function escapeControl(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
