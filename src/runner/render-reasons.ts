// Why a clip would be rendered again: the current plan against the lock of the last render. Pure (no I/O):
// the caller supplies each clip's current content key and whether the cache has it.
import type { ClipId, ClipJob } from '../compiler/plan/types.js';
import { upstreamFirst } from '../compiler/plan/upstream-first.js';
import type { LockedClip } from './lock-file.js';

/**
 * Why a clip would be rendered rather than reused, in the order they are reported:
 * - `new clip`: the lock has no entry for the clip id;
 * - `model changed`, `prompt changed`, `seed changed`: that field differs from the lock entry;
 * - `upstream clip changed`: a clip whose last frame it starts on is rendered again, or is not the one the lock recorded;
 * - `still changed`: a still it uses (a frame, a character's image, an input image) is made again, or is not the one locked;
 * - `new still`: a still the lock has no entry for;
 * - `backend changed`: the lock entry was made by another backend;
 * - `settings changed`: none of the above, yet the key differs (other request fields, or the content of an input file);
 * - `not in cache`: same key as the lock entry, but the cached clip is gone (or corrupt).
 */
type RenderReason =
  | 'new clip'
  | 'new still'
  | 'still changed'
  | 'model changed'
  | 'prompt changed'
  | 'seed changed'
  | 'upstream clip changed'
  | 'backend changed'
  | 'settings changed'
  | 'not in cache';

/**
 * Where a reused clip comes from. Both are cache hits; `lock` means the cached clip is the one the lock
 * records (same key), `cache` that the lock records another one or none (e.g. an edit undone, a lock deleted).
 */
type ReuseSource = 'lock' | 'cache';

/** What a run would do with one clip. `key` is its content key when it is known before rendering. */
export type ClipDecision =
  | { readonly clip: ClipId; readonly action: 'reuse'; readonly from: ReuseSource; readonly key: string }
  | { readonly clip: ClipId; readonly action: 'render'; readonly reasons: readonly RenderReason[]; readonly key?: string };

/**
 * What is known about a clip now: its content key (unknown while a clip it starts from must be rendered
 * first, since the key hashes that clip's output) and whether the cache holds a clip with that key.
 */
export interface ClipState {
  readonly key?: string;
  readonly cached: boolean;
}

/** The fields of a job the comparison reads. */
export type ReasonJob = Pick<ClipJob, 'id' | 'model' | 'prompt' | 'dependsOn' | 'stills'> & { readonly seed: { readonly value: number }; readonly kind?: 'still' };

/** What the comparison reads of a lock entry (a clip's or a still's). */
type LockedFacts = Pick<LockedClip, 'key' | 'model' | 'prompt' | 'seed' | 'backend'>;

/**
 * Decides, per clip, reuse or render and why, comparing the current jobs and their states with the
 * previous lock's entries (`previous`, absent before the first render) made by the backend named `backend`.
 * A cache hit is always reused. Returns decisions in job order.
 */
export function decideClips(jobs: readonly ReasonJob[], states: ReadonlyMap<ClipId, ClipState>,
  previous: Readonly<Record<string, LockedFacts>> | undefined, backend: string): Map<ClipId, ClipDecision> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const memo = new Map<ClipId, ClipDecision>();
  const decide = (id: ClipId): ClipDecision => {
    const known = memo.get(id);
    if (known) return known;
    const job = byId.get(id);
    const state = states.get(id) ?? { cached: false };
    const decision: ClipDecision = state.cached && state.key !== undefined
      ? { clip: id, action: 'reuse', from: previous?.[id]?.key === state.key ? 'lock' : 'cache', key: state.key }
      : { clip: id, action: 'render', reasons: job ? reasonsFor(job, state, previous, backend, decide) : ['new clip'], ...(state.key !== undefined ? { key: state.key } : {}) };
    memo.set(id, decision);
    return decision;
  };
  // upstream clips decided first, so `decide` never recurses down a chain (which may be 100,000 clips long)
  for (const j of upstreamFirst(jobs, (x) => x.id, (x) => [...x.dependsOn, ...(x.stills ?? [])])) decide(j.id);
  return new Map(jobs.map((j) => [j.id, decide(j.id)]));
}

/** The reasons a clip that is not cached must be rendered. */
function reasonsFor(job: ReasonJob, state: ClipState, previous: Readonly<Record<string, LockedFacts>> | undefined,
  backend: string, decide: (id: ClipId) => ClipDecision): RenderReason[] {
  const locked = previous?.[job.id];
  if (!locked) return [job.kind === 'still' ? 'new still' : 'new clip'];
  const reasons: RenderReason[] = [];
  if (locked.model !== job.model) reasons.push('model changed');
  if (locked.prompt !== job.prompt) reasons.push('prompt changed');
  if (locked.seed !== job.seed.value) reasons.push('seed changed');
  if (job.dependsOn.some((d) => upstreamChanged(decide(d), previous?.[d]))) reasons.push('upstream clip changed');
  if (job.stills?.some((d) => upstreamChanged(decide(d), previous?.[d]))) reasons.push('still changed');
  if (locked.backend !== backend) reasons.push('backend changed');
  if (reasons.length > 0) return reasons;
  return [state.key !== undefined && state.key === locked.key ? 'not in cache' : 'settings changed'];
}

/** An upstream clip changed when it is rendered again, or the clip reused is not the one the lock recorded. */
function upstreamChanged(upstream: ClipDecision, locked: LockedFacts | undefined): boolean {
  return upstream.action === 'render' || upstream.key !== locked?.key;
}
