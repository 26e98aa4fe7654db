// A file's recorded size and content hash (its seal), taken when the tool writes the file and checked before
// the tool uses it again: a damaged cache entry is found by its bytes, without decoding anything.
import { stat } from 'node:fs/promises';
import { sha256File } from './hash.js';

/** What is recorded about a file when it is written. */
export interface FileSeal {
  readonly bytes: number;
  readonly sha256: string;
}

/** How a file differs from its seal, with a phrase for messages ("is missing", "…"). */
export interface SealBreak {
  readonly why: 'missing' | 'size' | 'hash';
  readonly message: string;
}

/** The seal of a file as it is now. */
export async function sealFile(path: string): Promise<FileSeal> {
  const [bytes, sha256] = await Promise.all([stat(path).then((s) => s.size), sha256File(path)]);
  return { bytes, sha256 };
}

/**
 * How `path` differs from `seal`, or undefined when it matches. The size is checked first, so a truncated or
 * missing file costs no read; a file of the right size is hashed.
 */
export async function checkSeal(path: string, seal: FileSeal): Promise<SealBreak | undefined> {
  const s = await stat(path).catch(() => undefined);
  if (!s?.isFile()) return { why: 'missing', message: 'is missing' };
  if (s.size !== seal.bytes) return { why: 'size', message: `is ${s.size} bytes where ${seal.bytes} were recorded (truncated or overwritten)` };
  if ((await sha256File(path)) !== seal.sha256) return { why: 'hash', message: 'does not match the sha256 recorded when it was written (its bytes changed)' };
  return undefined;
}

/** Whether a value read back from JSON is a seal (a damaged record is not). */
export function isFileSeal(value: unknown): value is FileSeal {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return Number.isSafeInteger(v.bytes) && (v.bytes as number) >= 0 && typeof v.sha256 === 'string' && /^[0-9a-f]{64}$/.test(v.sha256);
}
