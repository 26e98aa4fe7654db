// Small pure HTML helpers shared by the report's renderers: escaping, seconds, and a captioned thumbnail.
import { escapeControl } from '../diagnostics/escape-control.js';

/**
 * Escapes text for HTML element content and double- or single-quoted attribute values; control characters
 * (from prompts, messages, server fields) are shown visibly (`\u001b`), never written raw into the file.
 */
export function escapeHtml(text: string): string {
  return escapeControl(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A runner message: escaped, with its \`names\` shown as code. */
export function messageHtml(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** Seconds for people: at most two decimals. */
export function secs(s: number): string {
  return `${Number(s.toFixed(2))} s`;
}

/** A thumbnail with its caption, or a placeholder when there is no image. */
export function figureHtml(uri: string | undefined, caption: string, alt = caption): string {
  const img = uri ? `<img class="thumb" src="${escapeHtml(uri)}" alt="${escapeHtml(alt)}">` : '<div class="nothumb">no frame</div>';
  return `<figure>${img}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}
