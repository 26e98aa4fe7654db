// The film's timeline once its clips are known: a clip that ends early on its sharpest frame (`seam_frame:
// sharpest`) takes its trimmed frames out of the film, so every chapter, subtitle and clip start after it moves
// earlier by as much, and the clip's own cues end with it. Pure.
import type { ClipId, Plan, StitchJob } from '../compiler/plan/types.js';

const FPS = 30;
const round = (s: number): number => Math.round(s * 1e6) / 1e6;
/** A plan time (on a frame boundary) moved `frames` earlier, counted in frames so nothing drifts by rounding. */
const earlier = (t: number, frames: number): number => round((Math.round(t * FPS) - frames) / FPS);

/**
 * The plan's stitch job with the times after trimmed clips (`trims`: frames cut from a clip's end) moved earlier;
 * the same object when nothing is trimmed.
 */
export function retimeStitch(plan: Pick<Plan, 'stitch' | 'jobs'>, trims: ReadonlyMap<ClipId, number>): StitchJob {
  const stitch = plan.stitch;
  if (![...trims.values()].some((k) => k > 0)) return stitch;
  const carried = new Map(plan.jobs.map((j) => [j.id, j.carry?.frames ?? 0]));
  const index = new Map(stitch.order.map((id, i) => [id, i]));
  // frames trimmed from the clips before each clip of the film, and where each trimmed clip now ends
  const before: number[] = [];
  const endOf = new Map<ClipId, number>();
  let total = 0;
  stitch.order.forEach((id, i) => {
    before.push(total);
    const k = trims.get(id) ?? 0;
    if (k <= 0) return;
    // a clip's frames end where the next clip's frame 0 is, plus their overlap and what the next clip drops
    const next = stitch.starts[i + 1];
    const join = stitch.joins[i];
    const nextId = stitch.order[i + 1];
    const dropped = nextId === undefined ? 0 : carried.get(nextId) || (join?.type === 'seam' ? 1 : 0);
    const end = next === undefined ? stitch.duration : next + (Math.round((join?.type === 'cut' ? 0 : join?.duration ?? 0) * FPS) + dropped) / FPS;
    endOf.set(id, earlier(end, total + k));
    total += k;
  });
  const shiftOf = (clip: ClipId): number => before[index.get(clip) ?? 0] ?? 0;
  const firstClipOf = new Map<string, ClipId>();
  const sceneOf = new Map(plan.jobs.map((j) => [j.id, j.scene]));
  for (const id of stitch.order) {
    const scene = sceneOf.get(id);
    if (scene !== undefined && !firstClipOf.has(scene)) firstClipOf.set(scene, id);
  }
  const starts = stitch.chapters.map((c) => earlier(c.start, shiftOf(firstClipOf.get(c.scene) ?? '')));
  const duration = earlier(stitch.duration, total);
  return {
    ...stitch,
    starts: stitch.starts.map((s, i) => earlier(s, before[i] ?? 0)),
    duration,
    chapters: stitch.chapters.map((c, i) => ({ ...c, start: starts[i] ?? c.start, end: starts[i + 1] ?? duration })),
    cues: stitch.cues.map((c) => {
      const shift = shiftOf(c.clip);
      const end = endOf.get(c.clip);
      return { ...c, start: earlier(c.start, shift), end: end === undefined ? earlier(c.end, shift) : Math.min(earlier(c.end, shift), end) };
    }),
  };
}
