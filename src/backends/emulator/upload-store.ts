// Objects uploaded through the OSS-like form target, addressable afterwards as `oss://{key}` by
// create requests of the same model for 48 h (emulated). Bounded by count and total bytes.
import { hmac, sameSignature } from './signed-url.js';

/** One uploaded object. */
interface StoredObject {
  readonly model: string;
  readonly size: number;
  readonly bytes: Buffer;
  readonly expiresMs: number;
}

/** What a signed upload policy allows (decoded from its base64 JSON). */
export interface UploadPolicy {
  readonly expiresMs: number;
  readonly uploadDir: string;
  readonly model: string;
  readonly maxBytes: number;
}

const OBJECT_TTL_MS = 48 * 3600 * 1000;

/** Uploaded objects by key, oldest dropped first when over the budget. */
export class UploadStore {
  private readonly objects = new Map<string, StoredObject>();
  private totalBytes = 0;

  constructor(private readonly maxBytes = 256 * 1024 * 1024, private readonly maxObjects = 10_000) {}

  /** True when an object with this key exists (oss objects are never overwritten here). */
  has(key: string): boolean {
    return this.objects.has(key);
  }

  /** Stores an object uploaded at `nowMs` for `model`. */
  put(key: string, model: string, bytes: Buffer, nowMs: number): void {
    this.objects.set(key, { model, size: bytes.length, bytes, expiresMs: nowMs + OBJECT_TTL_MS });
    this.totalBytes += bytes.length;
    for (const [k, o] of this.objects) {
      if (this.totalBytes <= this.maxBytes && this.objects.size <= this.maxObjects) break;
      this.objects.delete(k);
      this.totalBytes -= o.size;
    }
  }

  /** The object behind an `oss://` URL if it exists, is unexpired at `nowMs` and belongs to `model`. */
  resolve(url: string, model: string, nowMs: number): StoredObject | undefined {
    const o = this.objects.get(url.slice('oss://'.length));
    return o && o.model === model && o.expiresMs >= nowMs ? o : undefined;
  }
}

/** Builds the base64 policy and its signature, OSS style, with the model kept in a custom condition. */
export function signPolicy(policy: UploadPolicy, secret: string): { policy: string; signature: string } {
  const json = {
    expiration: new Date(policy.expiresMs).toISOString(),
    conditions: [
      ['content-length-range', 0, policy.maxBytes],
      ['starts-with', '$key', policy.uploadDir],
      { 'x-oss-object-acl': 'private' },
      { 'x-oss-forbid-overwrite': 'true' },
      { 'x-dashscope-model': policy.model },
    ],
  };
  const encoded = Buffer.from(JSON.stringify(json)).toString('base64');
  return { policy: encoded, signature: hmac(secret, encoded) };
}

/** Decodes a policy whose signature checks out; undefined when tampered with or malformed. */
export function verifyPolicy(encoded: string, signature: string, secret: string): UploadPolicy | undefined {
  if (!sameSignature(signature, hmac(secret, encoded))) return undefined;
  try {
    const json = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    const find = (pred: (c: unknown) => boolean): unknown => json.conditions.find(pred);
    const range = find((c) => Array.isArray(c) && c[0] === 'content-length-range') as [string, number, number];
    const dir = find((c) => Array.isArray(c) && c[0] === 'starts-with') as [string, string, string];
    const model = find((c) => typeof c === 'object' && c !== null && 'x-dashscope-model' in c) as Record<string, string>;
    return { expiresMs: Date.parse(json.expiration), uploadDir: dir[2], model: model['x-dashscope-model'] ?? '', maxBytes: range[2] };
  } catch {
    return undefined;
  }
}
