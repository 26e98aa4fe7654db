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

/** Inputs for the backend plus what the content key hashes (upstream frames count by the upstream clip's hash). */
interface ResolvedInputs {
  readonly forBackend: Map<ClipInput['name'], ResolvedInput>;
  readonly forKey: Map<ClipInput['name'], { sha256: string } | { url: string }>;
}

/** Resolves a job's inputs: local files hashed, upstream clips' last frames located. */
export async function resolveInputs(job: ClipJob, baseDir: string, upstream: (clip: string) => UpstreamClip | undefined, hashes: Map<string, Promise<string>>): Promise<ResolvedInputs> {
  const forBackend = new Map<ClipInput['name'], ResolvedInput>();
  const forKey = new Map<ClipInput['name'], { sha256: string } | { url: string }>();
  const hashOf = (file: string): Promise<string> => {
    let h = hashes.get(file);
    if (!h) hashes.set(file, (h = sha256File(file)));
    return h;
  };
  for (const input of job.inputs) {
    const from = input.from;
    if ('url' in from) {
      forBackend.set(input.name, { url: from.url });
      forKey.set(input.name, { url: from.url });
    } else if ('file' in from) {
      const file = join(baseDir, ...from.file.split('/'));
      const sha256 = await hashOf(file);
      forBackend.set(input.name, { file, sha256 });
      forKey.set(input.name, { sha256 });
    } else {
      const up = upstream(from.clip);
      if (!up?.lastFrame) throw new Error(`the last frame of clip \`${from.clip}\` is not available`);
      forBackend.set(input.name, { file: up.lastFrame, sha256: await hashOf(up.lastFrame) });
      forKey.set(input.name, { sha256: up.sha256 });
    }
  }
  return { forBackend, forKey };
}
