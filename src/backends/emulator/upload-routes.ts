// Temporary uploads (reference §5.1): `GET /uploads?action=getPolicy&model=` hands out a signed OSS
// POST policy whose upload_host is this emulator's `/oss/upload`; that form target checks the fields
// (file last), the signature and the expiry, and stores the bytes for `oss://{key}`.
import { randomUUID } from 'node:crypto';
import { findImageModel } from '../../compiler/models/image-registry.js';
import { findModel } from '../../compiler/models/registry.js';
import { formatTime } from './clock.js';
import { RATE_QUOTA, RETRY_AFTER, type EmulatorContext } from './context.js';
import { BodyTooLargeError, readBody, sendError, sendJson, sendOssError, type Exchange } from './http-io.js';
import { MultipartError, multipartBoundary, parseMultipart, type FormPart } from './multipart.js';
import { signPolicy, verifyPolicy, type UploadPolicy } from './upload-store.js';

const POLICY_TTL_SECONDS = 300;
/** Upload-policy limit per account and model (reference §4). */
const POLICY_QPS = 100;
/** Form fields the target requires besides `file` (matched case-insensitively, as OSS does). */
const REQUIRED_FIELDS = ['ossaccesskeyid', 'policy', 'signature', 'key', 'x-oss-object-acl', 'x-oss-forbid-overwrite', 'success_action_status'] as const;

/** `GET /uploads?action=getPolicy&model=…`. */
export function handleGetPolicy(ctx: EmulatorContext, ex: Exchange): void {
  const q = ex.url.searchParams;
  if (q.get('action') !== 'getPolicy') return sendError(ex, 400, 'InvalidParameter', 'action must be getPolicy.');
  const model = findModel(q.get('model') ?? '') ?? findImageModel(q.get('model') ?? '');
  if (!model) return sendError(ex, 400, 'InvalidParameter', 'Model not exist.');
  if (!ctx.policyWindows.of(model.id).tryAdd(POLICY_QPS)) {
    ctx.stats.throttled++;
    return sendError(ex, 429, RATE_QUOTA.code, RATE_QUOTA.message, RETRY_AFTER);
  }
  const uploadDir = `dashscope-instant/${ctx.accessKeyId.slice(-8)}/${formatTime(ctx.clock()).slice(0, 10)}/${randomUUID()}`;
  const policy: UploadPolicy = { expiresMs: ctx.policyClock() + POLICY_TTL_SECONDS * 1000, uploadDir, model: model.id, maxBytes: ctx.maxUploadBytes };
  const signed = signPolicy(policy, ctx.secret);
  sendJson(ex, 200, {
    data: {
      policy: signed.policy, signature: signed.signature, upload_dir: uploadDir, upload_host: `${ctx.url}/oss/upload`,
      expire_in_seconds: POLICY_TTL_SECONDS, max_file_size_mb: Math.floor(ctx.maxUploadBytes / (1024 * 1024)),
      capacity_limit_mb: 999999999, oss_access_key_id: ctx.accessKeyId, x_oss_object_acl: 'private', x_oss_forbid_overwrite: 'true',
    },
  });
}

type OssRejection = readonly [status: number, code: string, message: string];

/** `POST /oss/upload` (multipart/form-data): answers like OSS PostObject, errors as XML. */
export async function handleOssUpload(ctx: EmulatorContext, ex: Exchange): Promise<void> {
  const boundary = multipartBoundary(ex.req.headers['content-type']);
  if (!boundary) return sendOssError(ex, 400, 'InvalidArgument', 'The body must be multipart/form-data with a boundary.');
  let parts: FormPart[];
  try {
    parts = parseMultipart(await readBody(ex.req, ctx.maxUploadBytes + 64 * 1024), boundary);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return sendOssError(ex, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', { Connection: 'close' });
    if (e instanceof MultipartError) return sendOssError(ex, 400, 'MalformedPOSTRequest', `The body of your POST request is not well-formed multipart/form-data: ${e.message}`);
    throw e;
  }
  const checked = checkForm(ctx, parts);
  if (!('key' in checked)) return sendOssError(ex, ...checked);
  ctx.uploads.put(checked.key, checked.model, checked.file, ctx.clock());
  ctx.stats.uploads++;
  ex.res.writeHead(checked.status, { 'Content-Length': 0, 'x-oss-request-id': ex.requestId, ETag: `"${ex.requestId}"` });
  ex.res.end();
}

interface AcceptedForm {
  readonly key: string;
  readonly model: string;
  readonly file: Buffer;
  readonly status: number;
}

function checkForm(ctx: EmulatorContext, parts: readonly FormPart[]): AcceptedForm | OssRejection {
  const last = parts[parts.length - 1];
  if (!last || last.name !== 'file' || parts.filter((p) => p.name === 'file').length !== 1) {
    return [400, 'InvalidArgument', 'The file field must be the last field of the form, and appear once.'];
  }
  const fields = new Map(parts.slice(0, -1).map((p) => [p.name.toLowerCase(), p.data.toString('utf8')]));
  const missing = REQUIRED_FIELDS.find((f) => !fields.has(f));
  if (missing) return [400, 'InvalidArgument', `Missing form field: ${missing}`];
  const get = (f: (typeof REQUIRED_FIELDS)[number]): string => fields.get(f) ?? '';
  if (get('ossaccesskeyid') !== ctx.accessKeyId) return [403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.'];
  const policy = verifyPolicy(get('policy'), get('signature'), ctx.secret);
  if (!policy) return [403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'];
  if (ctx.policyClock() > policy.expiresMs) return [403, 'AccessDenied', 'Invalid according to Policy: Policy expired.'];
  const key = get('key');
  if (!key.startsWith(`${policy.uploadDir}/`) || key.length === policy.uploadDir.length + 1) {
    return [403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "${policy.uploadDir}"]`];
  }
  if (get('x-oss-object-acl') !== 'private') return [403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["eq", "$x-oss-object-acl", "private"]'];
  if (get('x-oss-forbid-overwrite') !== 'true') return [403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["eq", "$x-oss-forbid-overwrite", "true"]'];
  const status = Number(get('success_action_status'));
  if (![200, 201, 204].includes(status)) return [400, 'InvalidArgument', 'success_action_status must be 200, 201 or 204.'];
  if (last.data.length > policy.maxBytes) return [400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.'];
  if (ctx.uploads.has(key)) return [409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.'];
  return { key, model: policy.model, file: last.data, status };
}
