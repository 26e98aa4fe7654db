// Resolves a clip's inputs before it renders: local files hashed, upstream clips' last (or sharpest last) frames and
// carried tails (clip continuation) located.
import { join } from 'node:path';
import type { ResolvedInput } from '../backends/backend.js';
import type { ClipInput, InputName } from '../compiler/plan/types.js';
import { sha256File } from '../io/hash.js';

/** A finished upstream clip, as far as its dependents need to know. */
export interface UpstreamClip {
  readonly sha256: string;
  readonly lastFrame?: string;
  /** The sharpest of its last frames as a PNG (`seam_frame: sharpest`), for clips continuing it by frame. */
  readonly sharpestFrame?: string;
  /** Its last seconds cut into MP4s, by length in seconds (what clips continuing it by clip are sent). */
  readonly tails?: ReadonlyMap<number, string>;
}

/** A finished still: its PNG and the PNG's hash. */
export interface UpstreamStill {
  readonly file: string;
  readonly sha256: string;
}

/** What a job with inputs is, as far as resolving them goes (a clip or a still). */
interface WithInputs {
  readonly id: string;
  readonly inputs: readonly ClipInput[];
}

/** The output hash of an upstream clip or still a job takes as input (undefined: not known yet). */
export type UpstreamHash = (from: { readonly clip: string } | { readonly still: string }) => Promise<string | undefined> | string | undefined;

/** A file hasher that hashes each file once (the map is shared by a whole run). */
export function memoHash(hashes: Map<string, Promise<string>>): (file: string) => Promise<string> {
  return (file) => {
    let h = hashes.get(file);
    if (!h) hashes.set(file, (h = sha256File(file)));
    return h;
  };
}

/** Inputs for the backend plus what the content key hashes (upstream frames count by the upstream clip's hash). */
interface ResolvedInputs {
  readonly forBackend: Map<InputName, ResolvedInput>;
  readonly forKey: Map<InputName, KeyInput>;
}

/**
 * How a content key counts an input: a URL as itself, a local file and an upstream clip by content hash; an
 * upstream clip's last seconds by its hash and their length (carry 2 and carry 3 are different requests), the
 * sharpest of its last frames by its hash and `frame: 'sharpest'` (not the frame chosen: `plan` knows the key
 * without measuring, and the choice follows from the clip's bytes).
 */
export type KeyInput = { sha256: string; tail?: number; frame?: 'sharpest' } | { url: string };

/**
 * The key inputs of a job (what `clipKey` hashes), given how to hash a local file and an upstream clip's
 * output hash (undefined: not available, so the key cannot be known yet). The runner and `clipStates` both
 * use this, so `plan` and `render` can never disagree about a key.
 */
export async function keyInputsOf(job: WithInputs, baseDir: string, hashOf: (file: string) => Promise<string>, upstreamSha256: UpstreamHash): Promise<Map<InputName, KeyInput> | undefined> {
  const forKey = new Map<InputName, KeyInput>();
  for (const input of job.inputs) {
    const from = input.from;
    if ('url' in from) forKey.set(input.name, { url: from.url });
    else if ('file' in from) forKey.set(input.name, { sha256: await hashOf(join(baseDir, ...from.file.split('/'))) });
    else {
      const sha256 = await upstreamSha256(from);
      if (sha256 === undefined) return undefined;
      forKey.set(input.name, 'tail' in from ? { sha256, tail: from.tail } : 'frame' in from && from.frame === 'sharpest' ? { sha256, frame: 'sharpest' } : { sha256 });
    }
  }
  return forKey;
}

/** Resolves a job's inputs: local files hashed, upstream clips' last frames and tails located. */
export async function resolveInputs(job: WithInputs, baseDir: string, upstream: { clip: (id: string) => UpstreamClip | undefined; still: (id: string) => UpstreamStill | undefined }, hashes: Map<string, Promise<string>>): Promise<ResolvedInputs> {
  const forBackend = new Map<InputName, ResolvedInput>();
  const hashOf = memoHash(hashes);
  for (const input of job.inputs) {
    const from = input.from;
    if ('url' in from) forBackend.set(input.name, { url: from.url });
    else if ('file' in from) {
      const file = join(baseDir, ...from.file.split('/'));
      forBackend.set(input.name, { file, sha256: await hashOf(file) });
    } else if ('still' in from) {
      const still = upstream.still(from.still);
      if (!still) throw new Error(`still \`${from.still}\` is not available`);
      forBackend.set(input.name, { file: still.file, sha256: still.sha256 });
    } else if ('tail' in from) {
      const tail = upstream.clip(from.clip)?.tails?.get(from.tail);
      if (!tail) throw new Error(`the last ${from.tail} s of clip \`${from.clip}\` are not available`);
      forBackend.set(input.name, { file: tail, sha256: await hashOf(tail) });
    } else {
      const up = upstream.clip(from.clip);
      const sharpest = from.frame === 'sharpest';
      const png = sharpest ? up?.sharpestFrame : up?.lastFrame;
      if (!png) throw new Error(`the ${sharpest ? 'sharpest last' : 'last'} frame of clip \`${from.clip}\` is not available`);
      forBackend.set(input.name, { file: png, sha256: await hashOf(png) });
    }
  }
  const forKey = await keyInputsOf(job, baseDir, hashOf, (from) => ('still' in from ? upstream.still(from.still)?.sha256 : upstream.clip(from.clip)?.sha256));
  if (!forKey) throw new Error(`an upstream clip of \`${job.id}\` is not available`);
  return { forBackend, forKey };
}
