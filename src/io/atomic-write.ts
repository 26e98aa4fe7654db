// Atomic, durable file writes: temp file beside the target, fsync, rename, fsync of the directory.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { OWNER_TAG } from './temp-owner.js';

/**
 * A temporary path next to `path` (same file system, so rename is atomic): `.<name>.<owner>.<random>.tmp`, the
 * owner tag telling a later run whether it is a killed run's leftover (sweep-temps.ts).
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${OWNER_TAG}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes a file durably and atomically: temp file, fsync, rename, fsync of the directory. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    await syncDir(dirname(path));
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Moves a finished temp file into place atomically and makes the rename durable. */
export async function commitFile(tmp: string, path: string): Promise<void> {
  const fh = await open(tmp, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await syncDir(dirname(path));
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // some file systems refuse fsync on directories; the rename is still atomic
  } finally {
    await fh.close();
  }
}
