// DashScope failures as one error type: parsed from HTTP error bodies (JSON or OSS XML) and from undici
// exceptions, classified as retryable or not, with secrets redacted.
import { redact, redactedMessage } from './redact.js';

/** A failed DashScope (or upload/download host) HTTP exchange; `status` 0 means no HTTP response (network). */
export class DashscopeError extends Error {
  override readonly name = 'DashscopeError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    /** Seconds the server asked us to wait (`Retry-After`), if it said. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /** `HTTP 400 InvalidParameter: Model not exist. (request id …)`, for error messages. */
  describe(): string {
    const where = this.status === 0 ? 'network error' : `HTTP ${this.status}`;
    const id = this.requestId ? ` (request id ${this.requestId})` : '';
    return `${where} ${this.code}: ${this.message}${id}`;
  }
}

/** Connection-level failures worth another try: resets, refusals, timeouts, DNS hiccups. */
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH',
  'ENETDOWN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

/** 429s that are about billing or purchases, not about pace: waiting does not help. */
const PERMANENT_429 = /^(PrepaidBillOverdue|PostpaidBillOverdue|CommodityNotPurchased)$/;

/** Worth retrying: 429 throttling, 5xx, transient network errors. Never 4xx such as InvalidParameter or Arrearage. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof DashscopeError)) return false;
  if (error.status === 0) return TRANSIENT_NETWORK_CODES.has(error.code);
  if (error.status === 429) return !PERMANENT_429.test(error.code);
  return error.status >= 500;
}

/** Network failures where the request cannot have reached the server (nothing was sent or no connection was made). */
const NOT_DELIVERED_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT']);

/** What a failed create request tells about its task. */
export type CreateOutcome = 'rejected' | 'retry' | 'unknown';

/**
 * What a failed create request says about the task: `rejected`, a definite no (4xx such as InvalidParameter,
 * Arrearage); `retry`, nothing was created and trying again may work (429 throttling, or a request that never
 * reached the server); `unknown`, the service may have created (and will bill) the task: a 5xx (a gateway's 504
 * can follow an accepted task), a reset or timeout after sending, a 200 without a task id. There is no
 * idempotency key, so an unknown outcome is reconciled with the task list, never simply retried.
 */
export function createOutcome(error: unknown): CreateOutcome {
  if (!(error instanceof DashscopeError)) return 'unknown';
  if (error.status === 0) return NOT_DELIVERED_CODES.has(error.code) ? 'retry' : 'unknown';
  if (error.status === 429) return PERMANENT_429.test(error.code) ? 'rejected' : 'retry';
  if (error.status >= 500 || error.status < 400) return 'unknown';
  return 'rejected';
}

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const asText = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `Retry-After` as seconds: delta-seconds or an HTTP date (relative to `nowMs`). */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Number(raw.trim());
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - nowMs) / 1000);
}

/**
 * The error an HTTP error response stands for. Code and message come from the top level (native API),
 * `error.*` (compatible-mode gateways) or `output.*`; a body that is not JSON gives code `Unknown`.
 */
export function errorFromResponse(status: number, text: string, retryAfter: number | undefined, secrets: readonly string[]): DashscopeError {
  let root: Json = {};
  try {
    root = asObject(JSON.parse(text));
  } catch {
    // not JSON (a gateway's HTML page, OSS XML): keep the text
  }
  const nested = asObject(root.error);
  const output = asObject(root.output);
  const code = asText(root.code) ?? asText(nested.code) ?? asText(output.code) ?? xmlTag(text, 'Code') ?? 'Unknown';
  const message = asText(root.message) ?? asText(root.msg) ?? asText(nested.message) ?? asText(output.message)
    ?? xmlTag(text, 'Message') ?? htmlTitle(text) ?? (text.trim().slice(0, 300) || `HTTP ${status}`);
  const requestId = asText(root.request_id) ?? asText(root.requestId) ?? xmlTag(text, 'RequestId');
  return new DashscopeError(status, redact(code, secrets), redact(message, secrets), requestId === undefined ? undefined : redact(requestId, secrets), retryAfter);
}

/** OSS answers errors in XML: `<Code>AccessDenied</Code><Message>…</Message>`. */
function xmlTag(text: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text)?.[1];
}

/** A gateway's HTML error page says what it is in its title (`504 Gateway Time-out`). */
function htmlTitle(text: string): string | undefined {
  return /<title>([^<]{1,200})<\/title>/i.exec(text)?.[1]?.trim() || undefined;
}

/** An error thrown by undici (no response) as a DashscopeError with status 0 and the error's code. */
export function errorFromException(error: unknown, secrets: readonly string[]): DashscopeError {
  if (error instanceof DashscopeError) return error;
  const code = asText(asObject(error).code) ?? asText(asObject(asObject(error).cause).code);
  const message = redactedMessage(error, secrets);
  const hangUp = /socket hang up|other side closed/i.test(message);
  return new DashscopeError(0, code ?? (hangUp ? 'ECONNRESET' : 'NetworkError'), message);
}
