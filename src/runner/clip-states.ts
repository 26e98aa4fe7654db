// Each clip's content key and whether the cache holds it: the one answer `plan`, render's paid gate (budget
// and cost question) and the runner's own keys agree on, because every key input comes from `keyInputsOf`.
import type { ClipId, ClipJob, Plan, StillId, StillJob } from '../compiler/plan/types.js';
import { upstreamFirst } from '../compiler/plan/upstream-first.js';
import type { ClipCache } from './clip-cache.js';
import { clipKey, stillKey } from './clip-key.js';
import type { ClipState } from './render-reasons.js';
import { keyInputsOf, memoHash } from './resolve-inputs.js';

/** A clip's state with the cached output's hash (what clips continuing from it count in their keys). */
export type KnownClip = ClipState & { readonly sha256?: string };

/**
 * Each clip's content key, computed exactly as the runner computes it (local inputs by content hash, upstream
 * frames by the upstream clip's output hash), and whether the cache holds it intact. Read-only: nothing is
 * written or removed. A clip continuing from one that is not cached has no key yet.
 */
export async function clipStates(plan: Plan, o: { readonly backend: { readonly name: string; readonly version: string }; readonly baseDir: string; readonly cache: ClipCache }): Promise<Map<ClipId, KnownClip>> {
  const memo = new Map<ClipId, Promise<KnownClip>>();
  const hashOf = memoHash(new Map());
  const NOT_KNOWN: Promise<KnownClip> = Promise.resolve({ cached: false });
  // stills first (they take only stills and files as input), in upstream-first order; their ids share the map
  const stillState = async (job: StillJob): Promise<KnownClip> => {
    const inputs = await keyInputsOf(job, o.baseDir, hashOf, async (from) => ('still' in from ? (await (memo.get(from.still) ?? NOT_KNOWN)).sha256 : undefined));
    if (!inputs) return { cached: false };
    const key = stillKey(job, { backend: o.backend, inputs });
    const sha256 = (await o.cache.stills.intact(key))?.sha256;
    return sha256 ? { key, cached: true, sha256 } : { key, cached: false };
  };
  for (const job of upstreamFirst(plan.stills, (j) => j.id, (j) => j.dependsOn)) {
    memo.set(job.id, stillState(job).catch((): KnownClip => ({ cached: false })));
  }
  const stateOf = async (job: ClipJob): Promise<KnownClip> => {
    const inputs = await keyInputsOf(job, o.baseDir, hashOf, async (from) => (await (memo.get('still' in from ? from.still : from.clip) ?? NOT_KNOWN)).sha256);
    if (!inputs) return { cached: false };
    const key = clipKey(job, { backend: o.backend, inputs });
    const sha256 = (await o.cache.intact(key))?.sha256;
    return sha256 ? { key, cached: true, sha256 } : { key, cached: false };
  };
  // upstream clips first, so each clip's inputs are already being worked out when it asks for them (no
  // recursion: a chain may be 100,000 clips long, against film order)
  for (const job of upstreamFirst(plan.jobs, (j) => j.id, (j) => j.dependsOn)) {
    memo.set(job.id, stateOf(job).catch((): KnownClip => ({ cached: false })));
  }
  return new Map(await Promise.all([...plan.stills, ...plan.jobs].map(async (j) => [j.id, await (memo.get(j.id) ?? NOT_KNOWN)] as const)));
}

/** The clips a render of `only` (its scenes and every clip they continue from; all when absent) would run. */
export function selectJobs(plan: Plan, only: ReadonlySet<string> | undefined): ClipId[] {
  if (!only) return plan.jobs.map((j) => j.id);
  const byId = new Map(plan.jobs.map((j) => [j.id, j]));
  const chosen = new Set<ClipId>();
  // a worklist, not recursion: the clips a scene continues from may form a 100,000-clip chain
  const todo = plan.jobs.filter((j) => only.has(j.scene)).map((j) => j.id);
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    if (chosen.has(id)) continue;
    chosen.add(id);
    for (const d of byId.get(id)?.dependsOn ?? []) if (!chosen.has(d)) todo.push(d);
  }
  return plan.jobs.map((j) => j.id).filter((id) => chosen.has(id));
}

/**
 * The stills a render makes: all of them (an unused still too: it was asked for), or with `only` those the chosen
 * scenes' clips use (directly, through a character's image, or as input images of those), transitively.
 */
export function selectStills(plan: Plan, only: ReadonlySet<string> | undefined): StillId[] {
  if (!only) return plan.stills.map((s) => s.id);
  const byId = new Map(plan.stills.map((s) => [s.id, s]));
  const chosen = new Set<StillId>();
  const jobs = new Map(plan.jobs.map((j) => [j.id, j]));
  const todo = selectJobs(plan, only).flatMap((id) => jobs.get(id)?.stills ?? []);
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    if (chosen.has(id)) continue;
    chosen.add(id);
    for (const d of byId.get(id)?.dependsOn ?? []) if (!chosen.has(d)) todo.push(d);
  }
  return plan.stills.map((s) => s.id).filter((id) => chosen.has(id));
}
