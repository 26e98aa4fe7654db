// A clip's content key (the cache key): a hash of its canonical request with inputs by content (upstream frames
// by the upstream clip's hash), the backend and the expected output.
import type { ClipJob, InputName, StillJob } from '../compiler/plan/types.js';
import { canonicalJson } from '../compiler/plan/plan-json.js';
import { sha256Text } from '../io/hash.js';

/** What a clip's content key is computed from, besides the job itself. */
interface KeyInputs {
  readonly backend: { readonly name: string; readonly version: string };
  /**
   * Per input name: the content hash of a local file, the upstream clip's output hash (with the seconds taken from
   * its end, for a carried tail, or `sharpest` for the sharpest of its last frames), or the URL.
   */
  readonly inputs: ReadonlyMap<InputName, { readonly sha256: string; readonly tail?: number; readonly frame?: 'sharpest' } | { readonly url: string }>;
}

/** `seam_frame: sharpest` hands on the sharpest of this many last frames of a clip (part of the key of what continues it). */
export const SHARPEST_OF = 8;

/**
 * The content address of a clip: a hash of the canonical request in which local inputs are replaced by
 * their content hashes and upstream frames by the upstream clip's output hash, plus the backend and the
 * expected output. Equal keys mean equal requests, so a cached clip can be reused without paying again.
 */
export function clipKey(job: ClipJob, facts: KeyInputs): string {
  const body = JSON.parse(JSON.stringify(job.request.body)) as unknown;
  const resolved = substitute(body, facts.inputs);
  // only the backend's identity counts, whatever object the caller passes (a whole Backend would add its fields)
  return sha256Text(canonicalJson({ v: 1, backend: { name: facts.backend.name, version: facts.backend.version }, path: job.request.path, body: resolved, expected: job.expected })).slice(0, 32);
}

function substitute(value: unknown, inputs: KeyInputs['inputs']): unknown {
  if (typeof value === 'string' && value.startsWith('$input.')) {
    const input = inputs.get(value.slice('$input.'.length));
    if (!input) throw new Error(`unresolved input ${value}`);
    if ('url' in input) return input.url;
    // a tail is named apart from the whole clip: the key changes with the carried length (and old keys stay); so is
    // the sharpest of its last frames (what is handed on follows from the clip's bytes, measured the same way)
    if (input.tail !== undefined) return `sha256:${input.sha256}#tail=${input.tail}s`;
    return input.frame === 'sharpest' ? `sha256:${input.sha256}#sharpest-of-${SHARPEST_OF}` : `sha256:${input.sha256}`;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, inputs));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, inputs)]));
  }
  return value;
}

/**
 * The content address of a still: the canonical request with input images by content hash, the backend and
 * the expected pixel size. Stills and clips never share a key (`kind`).
 */
export function stillKey(job: StillJob, facts: KeyInputs): string {
  const body = JSON.parse(JSON.stringify(job.request.body)) as unknown;
  const resolved = substitute(body, facts.inputs);
  return sha256Text(canonicalJson({ v: 1, kind: 'still', backend: { name: facts.backend.name, version: facts.backend.version }, path: job.request.path, body: resolved, expected: job.expected })).slice(0, 32);
}
