// OSS-style signed URLs for result videos (`?Expires=…&OSSAccessKeyId=…&Signature=…`) and the
// HMAC signature of upload policies. The secret is random per emulator instance.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA1, base64 — what OSS uses for both URL and POST-policy signatures. */
export function hmac(secret: string, text: string): string {
  return createHmac('sha1', secret).update(text).digest('base64');
}

/** Constant-time comparison of two signatures. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Parameters of a signed URL. */
interface SignedUrlOptions {
  readonly secret: string;
  readonly accessKeyId: string;
}

const stringToSign = (name: string, expires: number): string => `GET\n\n\n${expires}\n/dashscope-result/${name}`;

/** `{base}/files/{name}?Expires=…&OSSAccessKeyId=…&Signature=…`, valid until `expires` (epoch seconds). */
export function signFileUrl(base: string, name: string, expires: number, options: SignedUrlOptions): string {
  const q = new URLSearchParams({
    Expires: String(expires),
    OSSAccessKeyId: options.accessKeyId,
    Signature: hmac(options.secret, stringToSign(name, expires)),
  });
  return `${base}/files/${encodeURIComponent(name)}?${q.toString()}`;
}

/** Why a signed URL is refused, or undefined when it is good at `nowSeconds`. */
export function checkFileUrl(name: string, query: URLSearchParams, nowSeconds: number, options: SignedUrlOptions): 'expired' | 'signature' | undefined {
  const expiresText = query.get('Expires') ?? '';
  const expires = Number(expiresText);
  const signature = query.get('Signature') ?? '';
  if (!/^\d+$/.test(expiresText) || query.get('OSSAccessKeyId') !== options.accessKeyId) return 'signature';
  if (!sameSignature(signature, hmac(options.secret, stringToSign(name, expires)))) return 'signature';
  return nowSeconds > expires ? 'expired' : undefined;
}
