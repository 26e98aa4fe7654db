// Reads the emulator's own result files back when a request points at one of its signed result URLs
// (a still made here sent as a reference or an input image), as the real service downloads any URL.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { checkFileUrl } from './signed-url.js';

/** What reading an own result URL needs. */
interface OwnFilesOptions {
  /** `http://127.0.0.1:PORT` of this emulator. */
  readonly origin: string;
  readonly dir: string;
  readonly secret: string;
  readonly accessKeyId: string;
  /** Emulated time in epoch ms (result URLs expire after 24 h of it). */
  readonly nowMs: () => number;
}

/** The bytes of `url` when it is an unexpired, correctly signed result URL of this emulator; else undefined. */
export async function readOwnFile(url: string, options: OwnFilesOptions): Promise<Buffer | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const name = /^\/files\/([^/]+)$/.exec(parsed.pathname)?.[1];
  if (parsed.origin !== new URL(options.origin).origin || name === undefined) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    return undefined;
  }
  const keys = { secret: options.secret, accessKeyId: options.accessKeyId };
  if (basename(decoded) !== decoded || checkFileUrl(decoded, parsed.searchParams, Math.floor(options.nowMs() / 1000), keys)) return undefined;
  return readFile(join(options.dir, decoded)).catch(() => undefined);
}
