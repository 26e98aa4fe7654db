// Turns a storyboard file's bytes into a SourceFile, refusing oversized, UTF-16, binary and invalid UTF-8
// input with a diagnostic.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { MAX_SOURCE_BYTES, type SourceFile } from './source.js';

/** A decoded source, or diagnostics plus a best-effort text for printing code frames. */
type Decoded =
  | { readonly ok: true; readonly source: SourceFile }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly lossy?: SourceFile };

/** Turns raw bytes into a `SourceFile`, rejecting oversized, UTF-16, binary and non-UTF-8 input with a diagnostic. */
export function decodeSource(path: string, bytes: Uint8Array): Decoded {
  const whole: Diagnostic['span'] = { file: path, start: 0, end: 0 };
  if (bytes.length > MAX_SOURCE_BYTES) {
    return { ok: false, diagnostics: [{
      code: 'file-too-large', severity: 'error', span: whole,
      message: `The file is ${bytes.length.toLocaleString('en-US')} bytes; storyboards are limited to ${MAX_SOURCE_BYTES.toLocaleString('en-US')} bytes (${MAX_SOURCE_BYTES / 1048576} MiB)`,
      hint: 'Split the film into several storyboards, or move long text out of the prompts.',
    }] };
  }
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16) {
    return { ok: false, diagnostics: [{ code: 'file-not-utf8', severity: 'error', span: whole,
      message: `The file is UTF-16 text (byte-order mark ${bytes[0] === 0xff ? 'FF FE' : 'FE FF'}); storyboards must be UTF-8`,
      hint: 'Save the file as UTF-8 (in most editors: "Save with encoding" → UTF-8).' }] };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return { ok: false, diagnostics: [{ code: 'file-binary', severity: 'error', span: whole,
      message: `The file contains a NUL byte at offset ${nul}: it is binary, not YAML`, hint: 'Check that you passed the storyboard, not an image or video.' }] };
  }
  try {
    return { ok: true, source: { path, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) } };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const lossy: SourceFile = { path, text: new TextDecoder('utf-8').decode(bytes) };
    const start = new TextDecoder('utf-8').decode(bytes.subarray(0, offset)).length;
    const byte = bytes[offset] ?? 0;
    return { ok: false, lossy, diagnostics: [{
      code: 'file-not-utf8', severity: 'error', span: { file: path, start, end: start + 1 },
      message: `The file is not valid UTF-8: byte 0x${byte.toString(16).padStart(2, '0')} at offset ${offset}`,
      hint: byte >= 0xa0 ? 'This looks like Latin-1 or Windows-1252 text; save the file as UTF-8.' : 'Save the file as UTF-8.',
    }] };
  }
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
