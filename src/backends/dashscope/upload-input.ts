// Makes clip inputs reachable by DashScope: URLs as they are, local files uploaded to temporary OSS storage or
// inlined as base64 (images), per the upload mode.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BackendError, type ResolvedInput } from '../backend.js';
import type { DashscopeClient, UploadPolicy } from './dashscope-client.js';
import { DashscopeError, errorFromResponse, isRetryable } from './dashscope-error.js';
import { mediaTypeOf } from './media-type.js';
import { multipartBody } from './multipart.js';
import { redactedMessage } from './redact.js';
import type { UploadCache } from './upload-cache.js';
import { withRetry, type RetryPolicy } from './with-retry.js';

/** How local files reach DashScope: temporary OSS upload, inline base64, or upload with a base64 fallback for images. */
export type UploadMode = 'oss' | 'base64' | 'auto';

/** The upload-policy endpoint failed (the feature may not exist in the region): `auto` falls back to base64. */
class UploadPolicyError extends Error {}

/** What the uploader needs. */
interface UploaderOptions {
  readonly client: DashscopeClient;
  readonly retry: RetryPolicy;
  readonly cache: UploadCache;
  readonly mode: UploadMode;
  /** Distinguishes accounts/regions in the cache (uploads are bound to the account). */
  readonly accountTag: string;
}

const UPLOAD_TIMEOUT_MS = 300_000;
const retryAfterMs = (e: unknown): number | undefined => (e instanceof DashscopeError && e.retryAfter !== undefined ? e.retryAfter * 1000 : undefined);

/** Turns clip inputs into URLs the API accepts: `{url}` as is, local files uploaded (`oss://…`) or inlined. */
export class InputUploader {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly policyFailed = new Set<string>();

  constructor(private readonly o: UploaderOptions) {}

  /** The URL to put in the request for one input. */
  async urlFor(model: string, kind: 'image' | 'audio' | 'video', input: ResolvedInput, signal: AbortSignal): Promise<string> {
    if ('url' in input) return input.url;
    if (this.o.mode === 'base64') return dataUri(kind, input.file);
    if (this.o.mode === 'auto' && kind === 'image' && this.policyFailed.has(model)) return dataUri(kind, input.file);
    try {
      return await this.upload(model, input, signal);
    } catch (e) {
      if (!(e instanceof UploadPolicyError)) throw e;
      this.policyFailed.add(model);
      if (this.o.mode === 'auto' && kind === 'image') return dataUri(kind, input.file);
      throw new BackendError(`could not upload ${input.file} to DashScope's temporary storage: ${e.message}`, false, 'UploadPolicy');
    }
  }

  /** One upload per content, model and account at a time; cached for the upload's validity. */
  private upload(model: string, input: { file: string; sha256: string }, signal: AbortSignal): Promise<string> {
    const key = `${this.o.accountTag}:${model}:${input.sha256}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.uploadOnce(key, model, input.file, signal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async uploadOnce(key: string, model: string, file: string, signal: AbortSignal): Promise<string> {
    const cached = await this.o.cache.get(key);
    if (cached) return cached;
    const policy = await this.policy(model, signal);
    const data = await readFile(file);
    if (policy.maxFileSizeMb !== undefined && data.length > policy.maxFileSizeMb * 1024 * 1024) {
      throw new BackendError(`${file} is ${(data.length / 1048576).toFixed(1)} MB; DashScope accepts at most ${policy.maxFileSizeMb} MB for ${model}`, false, 'FileTooLarge');
    }
    const url = await this.post(policy, file, data, signal);
    await this.o.cache.put(key, url);
    return url;
  }

  private async policy(model: string, signal: AbortSignal): Promise<UploadPolicy> {
    let policy: UploadPolicy;
    try {
      policy = await withRetry(() => this.o.client.getUploadPolicy(model, signal), this.o.retry, { shouldRetry: isRetryable, retryAfterMs, signal });
    } catch (e) {
      throw new UploadPolicyError(e instanceof DashscopeError ? e.describe() : redactedMessage(e, this.o.client.secrets));
    }
    if (policy.maxFileSizeMb === 0) throw new UploadPolicyError(`uploads are not allowed for ${model} (max_file_size_mb is 0)`);
    return policy;
  }

  /** PostObject to the upload host (no API key there), `file` last; returns `oss://{key}`. */
  private async post(policy: UploadPolicy, file: string, data: Buffer, signal: AbortSignal): Promise<string> {
    const filename = basename(file).replace(/[^A-Za-z0-9._-]/g, '_') || 'input';
    const objectKey = `${policy.uploadDir}/${filename}`;
    const contentType = mediaTypeOf(file, data);
    const { body, contentType: multipartType } = multipartBody([
      ['OSSAccessKeyId', policy.ossAccessKeyId], ['policy', policy.policy], ['Signature', policy.signature], ['key', objectKey],
      ['x-oss-object-acl', policy.objectAcl], ['x-oss-forbid-overwrite', policy.forbidOverwrite], ['success_action_status', '200'],
      ['x-oss-content-type', contentType],
    ], { name: 'file', filename, contentType, data });
    try {
      await withRetry(async () => {
        const res = await this.o.client.plain('upload', 'POST', policy.uploadHost, { headers: { 'content-type': multipartType }, body, signal, timeoutMs: UPLOAD_TIMEOUT_MS });
        const text = await res.body.text();
        if (res.statusCode === 200 || res.statusCode === 204) return;
        const error = errorFromResponse(res.statusCode, text, undefined, this.o.client.secrets);
        // a retry after a lost response finds its own object already there
        if (res.statusCode === 409 && error.code === 'FileAlreadyExists') return;
        throw error;
      }, this.o.retry, { shouldRetry: isRetryable, retryAfterMs, signal });
    } catch (e) {
      const why = e instanceof DashscopeError ? e.describe() : redactedMessage(e, this.o.client.secrets);
      throw new BackendError(`could not upload ${file} to DashScope's temporary storage: ${why}`, false, e instanceof DashscopeError ? e.code : undefined);
    }
    return `oss://${objectKey}`;
  }
}

/** `data:image/png;base64,…` for an image; audio and video cannot be inlined. */
async function dataUri(kind: 'image' | 'audio' | 'video', file: string): Promise<string> {
  if (kind !== 'image') {
    throw new BackendError(`${file}: ${kind} cannot be sent inline as base64; use the temporary upload (uploadMode 'oss' or 'auto') or a URL`, false, 'UploadMode');
  }
  const data = await readFile(file);
  return `data:${mediaTypeOf(file, data)};base64,${data.toString('base64')}`;
}
