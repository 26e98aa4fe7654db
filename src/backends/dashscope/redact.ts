// Key hygiene: every message that leaves the DashScope backend (errors, logs) and every field a server answers
// goes through here, so an API key can never leak, not even when an HTTP library or the provider echoes it back.

/** DashScope keys: `sk-…`, workspace keys `sk-ws-…`, Token-Plan keys `sk-sp-…`. */
const SK_TOKEN = /\bsk-[A-Za-z0-9][A-Za-z0-9._~+/=-]*/g;
/** `Authorization: Bearer x`, `"authorization":"Bearer x"`, `authorization=x`. */
const AUTH_HEADER = /(authorization["']?\s*[:=]\s*["']?)[^"',}\r\n]+/gi;
const BEARER = /\b(Bearer)\s+[^\s"',;}]+/gi;

/** Replaces every given secret, every `sk-…` token and every Authorization value in `text` by `***`. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out.replace(AUTH_HEADER, '$1***').replace(BEARER, '$1 ***').replace(SK_TOKEN, 'sk-***');
}

/** The message of anything thrown, redacted. */
export function redactedMessage(error: unknown, secrets: readonly string[] = []): string {
  return redact(error instanceof Error ? error.message : String(error), secrets);
}

/**
 * A parsed server answer with every given secret replaced by `***` in every string, keys included, at any depth:
 * any field (request_id, task_id, actual_prompt, usage, video_url…) may end up in output, the report, the lock
 * file or the journal. Only the exact secrets are replaced, so URLs and ids without them are left as they are.
 */
export function redactFields<T>(value: T, secrets: readonly string[]): T {
  const live = secrets.filter((s) => s.length >= 4);
  if (live.length === 0) return value;
  const text = (s: string): string => live.reduce((t, secret) => t.split(secret).join('***'), s);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}
