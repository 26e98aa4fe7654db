// Reads a storyboard file at the edge of the pure compiler: decodes it, validates it, and reads only the
// headers of the local files it refers to (images, audio) for the checks that need their facts.
import { readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { AssetFacts } from '../compiler/check/context.js';
import { decodeSource } from '../compiler/decode-source.js';
import type { SourceFile } from '../compiler/source.js';
import { completeValidation, prepareStoryboard, type ValidStoryboard } from '../compiler/validate-storyboard.js';
import { readAssetInfo } from '../assets/read-asset-info.js';
import { fail, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { checkOutputPaths } from './check-output-paths.js';

/** A storyboard file read from disk and validated, with its source kept for printing diagnostics. */
export interface LoadedStoryboard {
  readonly path: string;
  readonly absPath: string;
  readonly dir: string;
  readonly source?: SourceFile;
  readonly result: Result<ValidStoryboard>;
}

/** Reads, decodes and validates a storyboard, reading only the headers of the local files it refers to. */
export async function loadStoryboard(path: string): Promise<LoadedStoryboard> {
  const absPath = resolve(path);
  const dir = dirname(absPath);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absPath);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : 'cannot be read';
    const d: Diagnostic = { code: 'file-not-found', severity: 'error', span: { file: path, start: 0, end: 0 }, message: `Cannot read \`${path}\`: ${reason}` };
    return { path, absPath, dir, result: { ok: false, diagnostics: [d] } };
  }
  const decoded = decodeSource(path, bytes);
  if (!decoded.ok) return { path, absPath, dir, ...(decoded.lossy ? { source: decoded.lossy } : {}), result: { ok: false, diagnostics: decoded.diagnostics } };
  const source = decoded.source;
  const prepared = prepareStoryboard(source);
  if (!prepared.ok) return { path, absPath, dir, source, result: prepared };
  const assets = await readAssetFacts(dir, prepared.value.assets.map((a) => a.relative ?? ''));
  const result = completeValidation(prepared.value, { assets });
  // outputs are judged by real path like the inputs: a link leading outside the project refuses the render
  const outputs = await checkOutputPaths(absPath, prepared.value.storyboard);
  return { path, absPath, dir, source, result: outputs.length ? fail([...result.diagnostics, ...outputs]) : result };
}

/** Header facts for local files, keyed by their path relative to the storyboard's directory. */
async function readAssetFacts(dir: string, relatives: readonly string[]): Promise<Map<string, AssetFacts>> {
  const facts = new Map<string, AssetFacts>();
  const root = await realpath(dir).catch(() => dir);
  await Promise.all([...new Set(relatives)].map(async (rel) => {
    const info = await readAssetInfo(join(dir, ...rel.split('/')));
    facts.set(rel, {
      exists: info.exists,
      ...(info.bytes !== undefined ? { bytes: info.bytes } : {}),
      // a symlink inside the project may point anywhere: judge the real path
      insideProject: info.realPath === undefined || isInside(root, info.realPath),
      ...(info.image ? { image: info.image } : {}),
      ...(info.audio ? { audio: info.audio } : {}),
      ...(info.video ? { video: info.video } : {}),
      ...(info.error ? { error: info.error } : {}),
    });
  }));
  return facts;
}

function isInside(root: string, path: string): boolean {
  const r = relative(root, path);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
}
