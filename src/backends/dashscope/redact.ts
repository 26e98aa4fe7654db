// Key hygiene: every message that leaves the DashScope backend (errors, logs) goes through here, so an API key
// can never leak, not even when an HTTP library or the provider echoes a request header back.

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
