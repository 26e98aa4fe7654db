import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { fail, ok, type Result } from '../diagnostics/diagnostic.js';
import { MAX_SOURCE_BYTES, type SourceFile } from './source.js';

/** Turns raw bytes into a `SourceFile`, rejecting oversized, binary and non-UTF-8 input with a diagnostic. */
export function decodeSource(path: string, bytes: Uint8Array): Result<SourceFile> {
  const at = (start: number, end = start + 1): Diagnostic['span'] => ({ file: path, start, end });
  if (bytes.length > MAX_SOURCE_BYTES) {
    return fail([{
      code: 'file-too-large', severity: 'error',
      message: `The file is ${(bytes.length / 1048576).toFixed(1)} MiB; storyboards are limited to ${MAX_SOURCE_BYTES / 1048576} MiB`,
      hint: 'Split the film into several storyboards, or move long text out of the prompts.',
    }]);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return fail([{ code: 'file-binary', severity: 'error', message: `The file contains a NUL byte at offset ${nul}: it is binary, not YAML` }]);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
    return fail([{
      code: 'file-not-utf8', severity: 'error',
      message: `The file is not valid UTF-8 (first bad byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at offset ${offset})`,
      span: at(prefix.length),
      hint: 'Save the storyboard as UTF-8.',
    }]);
  }
  return ok({ path, text });
}

/** Offset of the first byte that breaks UTF-8 decoding. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const len = b < 0x80 ? 1 : b >> 5 === 0x6 ? 2 : b >> 4 === 0xe ? 3 : b >> 3 === 0x1e ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    for (let k = 1; k < len; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += len;
  }
  return i;
}
