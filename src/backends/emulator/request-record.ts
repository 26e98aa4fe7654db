// What the emulator keeps of a request for `GET /_emulator/headers`: method, URL, headers and status, with every
// credential redacted (the route is unauthenticated, and a real key may be sent to an emulator that takes any),
// long values cut, and its weight in memory for the log's byte budget.
import type { IncomingMessage } from 'node:http';
import { redact } from '../dashscope/redact.js';
import type { RecordedRequest } from './types.js';

/** Headers whose whole value is a credential. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-dashscope-api-key', 'x-acs-security-token']);
/** Longest header value kept (a test reads names and short values, not 15 KB pads). */
const MAX_VALUE = 256;
const MAX_URL = 2048;
/** Most headers kept of one request (node accepts up to 2,000). */
const MAX_HEADERS = 64;
/** Bytes counted for each string kept besides its characters (object slots, string headers). */
const SLOT_BYTES = 48;

/** The secrets a request may carry: the emulator's key, and whatever credential its Authorization header holds. */
export function requestSecrets(req: IncomingMessage, apiKey: string | undefined): string[] {
  const credential = /^\s*\S+\s+(\S+)/.exec(String(req.headers.authorization ?? ''))?.[1];
  return [apiKey, credential].filter((s): s is string => s !== undefined && s.length >= 4);
}

/** `text` cut to `max` characters as a string of its own (a slice of a long string would keep the whole of it alive). */
function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${Buffer.from(text.slice(0, max), 'utf8').toString('utf8')}…(${Buffer.byteLength(text)} bytes)`;
}

/** `Bearer ***`: the scheme of an Authorization value is kept, the credential never. */
function credentialShown(value: string): string {
  const scheme = /^\s*([A-Za-z][A-Za-z0-9-]{0,30})\s+\S/.exec(value)?.[1];
  return scheme ? `${scheme} ***` : '***';
}

/**
 * The log entry of a finished request and what it weighs: credential headers shown as `***` (Authorization as
 * `Bearer ***`), the request's own credential, the emulator's key and any `sk-…` token redacted wherever else
 * they appear (URL, other headers), `redacted` naming where a secret was found, long values cut.
 */
export function recordRequest(req: IncomingMessage, status: number, apiKey: string | undefined): { entry: RecordedRequest; bytes: number } {
  const secrets = requestSecrets(req, apiKey);
  const redacted: string[] = [];
  const clean = (place: string, text: string, max: number): string => {
    const out = redact(text, secrets);
    if (out !== text) redacted.push(place);
    return bounded(out, max);
  };
  const url = clean('url', req.url ?? '', MAX_URL);
  const headers: Record<string, string | string[]> = {};
  let bytes = SLOT_BYTES * 4 + 2 * url.length;
  for (const [name, value] of Object.entries(req.headers).slice(0, MAX_HEADERS)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    const kept = CREDENTIAL_HEADERS.has(name)
      ? (redacted.push(name), values.map(credentialShown))
      : values.slice(0, 8).map((v) => clean(name, v, MAX_VALUE));
    headers[name] = Array.isArray(value) ? kept : (kept[0] ?? '');
    bytes += SLOT_BYTES + 2 * name.length + kept.reduce((n, v) => n + SLOT_BYTES + 2 * v.length, 0);
  }
  return { entry: { method: req.method ?? '', url, headers, status, redacted: [...new Set(redacted)] }, bytes };
}
