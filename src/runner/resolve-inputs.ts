// Resolves a clip's inputs before it renders: local files hashed, upstream clips' last frames located.
import { join } from 'node:path';
import type { ResolvedInput } from '../backends/backend.js';
import type { ClipInput, ClipJob } from '../compiler/plan/types.js';
import { sha256File } from '../io/hash.js';

/** A finished upstream clip, as far as its dependents need to know. */
export interface UpstreamClip {
  readonly sha256: string;
  readonly lastFrame?: string;
}

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
  readonly forBackend: Map<ClipInput['name'], ResolvedInput>;
  readonly forKey: Map<ClipInput['name'], KeyInput>;
}

/** How a content key counts an input: a URL as itself, a local file and an upstream clip by content hash. */
export type KeyInput = { sha256: string } | { url: string };

/**
 * The key inputs of a job (what `clipKey` hashes), given how to hash a local file and an upstream clip's
 * output hash (undefined: not available, so the key cannot be known yet). The runner and `clipStates` both
 * use this, so `plan` and `render` can never disagree about a key.
 */
export async function keyInputsOf(job: ClipJob, baseDir: string, hashOf: (file: string) => Promise<string>, upstreamSha256: (clip: string) => Promise<string | undefined> | string | undefined): Promise<Map<ClipInput['name'], KeyInput> | undefined> {
  const forKey = new Map<ClipInput['name'], KeyInput>();
  for (const input of job.inputs) {
    const from = input.from;
    if ('url' in from) forKey.set(input.name, { url: from.url });
    else if ('file' in from) forKey.set(input.name, { sha256: await hashOf(join(baseDir, ...from.file.split('/'))) });
    else {
      const sha256 = await upstreamSha256(from.clip);
      if (sha256 === undefined) return undefined;
      forKey.set(input.name, { sha256 });
    }
  }
  return forKey;
}

/** Resolves a job's inputs: local files hashed, upstream clips' last frames located. */
export async function resolveInputs(job: ClipJob, baseDir: string, upstream: (clip: string) => UpstreamClip | undefined, hashes: Map<string, Promise<string>>): Promise<ResolvedInputs> {
  const forBackend = new Map<ClipInput['name'], ResolvedInput>();
  const hashOf = memoHash(hashes);
  for (const input of job.inputs) {
    const from = input.from;
    if ('url' in from) forBackend.set(input.name, { url: from.url });
    else if ('file' in from) {
      const file = join(baseDir, ...from.file.split('/'));
      forBackend.set(input.name, { file, sha256: await hashOf(file) });
    } else {
      const up = upstream(from.clip);
      if (!up?.lastFrame) throw new Error(`the last frame of clip \`${from.clip}\` is not available`);
      forBackend.set(input.name, { file: up.lastFrame, sha256: await hashOf(up.lastFrame) });
    }
  }
  const forKey = await keyInputsOf(job, baseDir, hashOf, (clip) => upstream(clip)?.sha256);
  if (!forKey) throw new Error(`an upstream clip of \`${job.id}\` is not available`);
  return { forBackend, forKey };
}
