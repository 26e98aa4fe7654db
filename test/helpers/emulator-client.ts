// A small DashScope client for the emulator's own tests: JSON calls shaped as the official SDK sends them,
// polling a task to its end, temporary uploads (policy + form), and reading pixels back from result media.
import { expect } from 'vitest';
import type { Emulator } from '../../src/backends/emulator/emulator-server.js';
import type { FfmpegTools } from '../../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../../src/media/ffmpeg.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const KEY = 'sk-test-emulator';

/** Options of {@link call}. */
export interface CallOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `X-DashScope-Async: enable` with a body (default true). */
  async?: boolean;
}

/** One API call; the SDK's JSON headers, the async header unless told otherwise. */
export async function call(em: Emulator, path: string, o: CallOptions = {}): Promise<{ status: number; json: Json; headers: Headers }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${KEY}`, ...o.headers };
  if (o.body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
  if (o.body !== undefined && o.async !== false) headers['X-DashScope-Async'] = 'enable';
  const res = await fetch(`${em.baseUrl}${path}`, {
    method: o.method ?? (o.body !== undefined ? 'POST' : 'GET'), headers,
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  return { status: res.status, json: (await res.json()) as Json, headers: res.headers };
}

/** Creates a task and expects it PENDING; returns its id. */
export async function create(em: Emulator, path: string, body: unknown, headers: Record<string, string> = {}): Promise<string> {
  const r = await call(em, path, { body, headers });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  expect(r.json.output.task_status).toBe('PENDING');
  return r.json.output.task_id as string;
}

/** Polls a task until it is finished; returns the last response and every status seen (with its output). */
export async function settle(em: Emulator, id: string, timeoutMs = 30_000): Promise<{ json: Json; seen: Json[] }> {
  const seen: Json[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call(em, `/tasks/${id}`);
    expect(r.status).toBe(200);
    const status = r.json.output.task_status as string;
    if (seen[seen.length - 1]?.task_status !== status) seen.push(r.json.output as Json);
    if (['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN'].includes(status)) return { json: r.json, seen };
    if (Date.now() > deadline) throw new Error(`task ${id} still ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Uploads bytes for `model` through the emulator's temporary-upload flow; returns the `oss://` URL. */
export async function upload(em: Emulator, model: string, name: string, bytes: Uint8Array): Promise<string> {
  const p = (await call(em, `/uploads?action=getPolicy&model=${model}`)).json.data as Json;
  const f = new FormData();
  for (const [field, value] of [['OSSAccessKeyId', p.oss_access_key_id], ['Signature', p.signature], ['policy', p.policy], ['key', `${p.upload_dir}/${name}`],
    ['x-oss-object-acl', p.x_oss_object_acl], ['x-oss-forbid-overwrite', p.x_oss_forbid_overwrite], ['success_action_status', '200']] as const) f.append(field, String(value));
  f.append('file', new Blob([Buffer.from(bytes)]), name);
  const res = await fetch(p.upload_host as string, { method: 'POST', body: f });
  expect(res.status).toBe(200);
  return `oss://${p.upload_dir}/${name}`;
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23), after checking the signature and chunk type. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(bytes);
  expect(b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** Raw pixels (`rgb24` or `gray`) of a box of frame `frame` (0 for a still) of a picture or video file. */
export async function framePixels(tools: FfmpegTools, file: string, box: { x: number; y: number; w: number; h: number }, frame = 0, format: 'rgb24' | 'gray' = 'rgb24'): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await runFfmpeg(tools, [
    '-v', 'error', '-i', file, '-vf', `select=eq(n\\,${frame}),crop=${box.w}:${box.h}:${box.x}:${box.y}`, '-frames:v', '1',
    '-f', 'rawvideo', '-pix_fmt', format, 'pipe:1',
  ], { onStdoutData: (c) => chunks.push(c) });
  const out = Buffer.concat(chunks);
  expect(out.length).toBe(box.w * box.h * (format === 'rgb24' ? 3 : 1));
  return out;
}

/** Mean RGB of a box of a frame. */
export async function meanColour(tools: FfmpegTools, file: string, box: { x: number; y: number; w: number; h: number }, frame = 0): Promise<[number, number, number]> {
  const px = await framePixels(tools, file, box, frame);
  const sum = [0, 0, 0];
  for (let i = 0; i < px.length; i++) sum[i % 3] = (sum[i % 3] ?? 0) + (px[i] ?? 0);
  const n = px.length / 3;
  return [Math.round((sum[0] ?? 0) / n), Math.round((sum[1] ?? 0) / n), Math.round((sum[2] ?? 0) / n)];
}

/** Expects a colour within `tolerance` of another on every channel. */
export function expectColour(actual: readonly number[], expected: readonly number[], tolerance = 24): void {
  expect(actual.every((v, i) => Math.abs(v - (expected[i] ?? 0)) <= tolerance), `colour ${actual.join(',')} is not near ${expected.join(',')}`).toBe(true);
}
