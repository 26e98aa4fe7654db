// The runner: runs the plan's clip graph on a backend (dependency order, bounded concurrency, cache, journal)
// and returns every clip made or reused and every failure.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ClipId, ClipJob, Plan, StillId } from '../compiler/plan/types.js';
import { probeMedia, videoStreamDuration } from '../media/ffmpeg.js';
import type { Repair } from '../diagnostics/repair.js';
import type { CacheEntry } from './clip-cache.js';
import { clipKey, SHARPEST_OF } from './clip-key.js';
import { findModel } from '../compiler/models/registry.js';
import { upstreamFirst } from '../compiler/plan/upstream-first.js';
import { selectJobs, selectStills } from './clip-states.js';
import { makeStill, type StillResult } from './run-still.js';
import { backendWork } from './backend-work.js';
import { ClipRenderError } from './clip-render-error.js';
import type { RunPlanOptions } from './run-options.js';

export { ClipRenderError } from './clip-render-error.js';
export type { RunPlanOptions } from './run-options.js';
import { bottomLevels, PrioritySlots } from './priority-slots.js';
import type { RunEvent } from './events.js';
import { resolveInputs, type UpstreamClip } from './resolve-inputs.js';
import type { SeamFrameChoice } from './seam-frame.js';


/** A clip that is available: rendered now or taken from the cache. */
export interface ClipResult extends UpstreamClip {
  readonly clip: ClipId;
  readonly key: string;
  readonly file: string;
  readonly cached: boolean;
  readonly entry: CacheEntry;
  /**
   * The sharpest of its last frames, when clips continue it by frame under `seam_frame: sharpest`: they start on it,
   * and the film ends this clip on it (its `fromEnd` frames after it are trimmed).
   */
  readonly seamFrame?: SeamFrameChoice;
}


/** The outcome of a run: every available clip and still, every failure, and what was skipped because an input failed. */
export interface RunResult {
  readonly results: ReadonlyMap<ClipId, ClipResult>;
  readonly stills: ReadonlyMap<StillId, StillResult>;
  readonly failures: readonly ClipRenderError[];
  readonly skipped: readonly ClipId[];
}

/** Runs a plan's clip graph: dependency order, bounded concurrency, cache, journal; finished work is never lost. */
export async function runPlan(plan: Plan, options: RunPlanOptions): Promise<RunResult> {
  const byId = new Map(plan.jobs.map((j) => [j.id, j]));
  const stillById = new Map(plan.stills.map((s) => [s.id, s]));
  const selectedClips = options.stillsOnly ? [] : selectJobs(plan, options.only);
  const selectedStills = selectStills(plan, options.only);
  const selected = [...selectedStills, ...selectedClips];
  const { frames: needsFrame, sharpest: needsSharpest, tails: needsTails } = upstreamNeeds(plan.jobs);
  const results = new Map<ClipId, ClipResult>();
  const stills = new Map<StillId, StillResult>();
  /** What a node waits for: a clip for upstream clips and its stills, a still for its input stills. */
  const depsOf = (id: string): readonly string[] => {
    const still = stillById.get(id);
    if (still) return still.dependsOn;
    const job = byId.get(id);
    return job ? (job.stills?.length ? [...job.dependsOn, ...job.stills] : job.dependsOn) : [];
  };
  const done = (id: string): boolean => results.has(id) || stills.has(id);
  const failures: ClipRenderError[] = [];
  const skipped: ClipId[] = [];
  const dead = new Set<ClipId>();
  const hashes = new Map<string, Promise<string>>();
  // slots are held only while the backend works; cache checks, probing and frame extraction run outside them
  const slots = new PrioritySlots(options.concurrency ?? options.backend.maxConcurrency ?? Number.POSITIVE_INFINITY, (m) => options.backend.concurrency(m));
  const priority = bottomLevels([
    ...plan.stills.map((s) => ({ id: s.id, dependsOn: s.dependsOn, seconds: 1 })),
    ...plan.jobs.map((j) => ({ id: j.id, dependsOn: depsOf(j.id), seconds: j.expected.duration })),
  ]);
  const order = new Map([...plan.stills.map((s) => s.id), ...plan.jobs.map((j) => j.id)].map((id, i) => [id, i]));
  const emit = (e: RunEvent): void => options.onEvent?.(e);
  // a damaged cache entry is discarded and made again: say which
  const onRepair = (r: Repair): void => emit({ type: 'repair', ...r });
  for (const id of selectedStills) {
    const s = stillById.get(id);
    if (s) emit({ type: 'queued', clip: id, model: s.model, seconds: 0, node: 'still' });
  }
  for (const id of selectedClips) {
    const j = byId.get(id);
    if (j) emit({ type: 'queued', clip: id, model: j.model, seconds: j.expected.duration });
  }
  // upstream clips first: one pass of the pump settles a whole chain (a failure skips everything after it), even a
  // chain that runs against film order
  const remaining = new Set(upstreamFirst(selected, (id) => id, depsOf));
  const running = new Set<ClipId>();
  await new Promise<void>((resolve) => {
    const pump = (): void => {
      for (let changed = true; changed;) {
        changed = false;
        for (const id of remaining) {
          const still = stillById.get(id);
          const job = still ?? byId.get(id);
          if (!job) continue;
          const node = still ? { node: 'still' as const } : {};
          const deps = depsOf(id);
          const blocker = deps.find((d) => dead.has(d));
          if (blocker || options.signal?.aborted) {
            remaining.delete(id);
            dead.add(id);
            skipped.push(id);
            const what = stillById.has(blocker ?? '') ? 'still' : 'clip';
            emit({ type: 'skipped', clip: id, reason: blocker ? `its input ${what} \`${blocker}\` was not made` : 'the run was stopped', ...node });
            changed = true;
            continue;
          }
          if (!deps.every(done)) continue;
          remaining.delete(id);
          running.add(id);
          const made: Promise<void> = still
            ? makeStill(still, stillContext()).then((r) => void stills.set(id, r))
            : makeClip(job as ClipJob).then((r) => void results.set(id, r));
          void made
            .catch((e: unknown) => {
              dead.add(id);
              failures.push(e instanceof ClipRenderError ? e : new ClipRenderError(id, job.at, e instanceof Error ? e.message : String(e), 'failed', still ? 'still' : 'clip'));
              const last = failures[failures.length - 1];
              if (last) emit({ type: 'failed', clip: id, message: last.message, at: job.at, ...node });
            })
            .finally(() => {
              running.delete(id);
              pump();
            });
        }
      }
      if (running.size === 0) resolve();
    };
    pump();
  });
  return { results, stills, failures, skipped };

  function stillContext(): Parameters<typeof makeStill>[1] {
    return { options, slots, priority, order, emit, onRepair, hashes, stills };
  }

  async function makeClip(job: ClipJob): Promise<ClipResult> {
    if (options.signal?.aborted) throw new ClipRenderError(job.id, job.at, 'the run was stopped', 'aborted');
    const inputs = await resolveInputs(job, options.baseDir, { clip: (c) => results.get(c), still: (s) => stills.get(s) }, hashes);
    const key = clipKey(job, { backend: { name: options.backend.name, version: options.backend.version }, inputs: inputs.forKey });
    const cached = options.force ? undefined : await options.cache.get(key, onRepair);
    if (cached) {
      const result = await finish(job, key, cached, true);
      emit({ type: 'cached', clip: job.id, key });
      sayTrim(result);
      return result;
    }
    if (options.frozen) throw new ClipRenderError(job.id, job.at, `clip \`${job.id}\` is not in the cache and --frozen forbids rendering it`, 'frozen');
    const tmp = join(options.cache.tmpDir, `${key}.${randomBytes(4).toString('hex')}.mp4`);
    const { entry, outcome, wallMs } = await backendWork({
      options, slots, node: { id: job.id, at: job.at, model: job.model, kind: 'clip' }, key, tmp, emit,
      priority: priority.get(job.id) ?? 0, order: order.get(job.id) ?? 0,
      call: (releaseSlot) => options.backend.render({
        job, key, inputs: inputs.forBackend, outFile: tmp, ffmpeg: options.ffmpeg, journal: options.journal,
        signal: options.signal ?? new AbortController().signal, onProgress: (fraction) => emit({ type: 'progress', clip: job.id, fraction }),
        releaseSlot, onNotice: (n) => emit({ type: 'notice', clip: job.id, kind: n.kind, message: n.message }), onRepair,
      }),
      keep: async (outcome, wallMs) => {
        const info = await probeMedia(options.ffmpeg, tmp);
        const duration = videoStreamDuration(info) ?? 0;
        if (Math.abs(duration - job.expected.duration) > 0.25) throw new Error(`the backend returned ${duration.toFixed(2)} s of video, expected ${job.expected.duration} s`);
        const video = info.streams.find((s) => s.codecType === 'video');
        const entry = await options.cache.put(key, tmp, {
          clip: job.id, duration, width: video?.width ?? 0, height: video?.height ?? 0, audio: info.streams.some((s) => s.codecType === 'audio'),
          backend: options.backend.name,
          ...(outcome.taskId ? { taskId: outcome.taskId } : {}), ...(outcome.actualPrompt ? { actualPrompt: outcome.actualPrompt } : {}),
          ...(outcome.billedSeconds !== undefined ? { billedSeconds: outcome.billedSeconds } : {}),
        });
        return { entry, outcome, wallMs };
      },
    });
    const result = await finish(job, key, entry, false);
    emit({ type: 'rendered', clip: job.id, key, seconds: job.expected.duration, wallMs, ...(outcome.taskId ? { taskId: outcome.taskId } : {}) });
    sayTrim(result);
    return result;
  }

  /** Said once a run, after the clip's own event (the progress view keeps the last word on a clip). */
  function sayTrim(result: ClipResult): void {
    const k = result.seamFrame?.fromEnd ?? 0;
    if (k > 0) emit({ type: 'notice', clip: result.clip, kind: 'seam', message: `ends ${k} frame${k === 1 ? '' : 's'} early on its sharpest frame (the clips continuing it start there)` });
  }

  /** The clip as its dependents need it: its last frame and the tails they carry, made once here. */
  async function finish(job: ClipJob, key: string, entry: CacheEntry, cached: boolean): Promise<ClipResult> {
    const o = { onRepair, ...(options.signal ? { signal: options.signal } : {}) };
    const lastFrame = needsFrame.has(job.id) ? await options.cache.lastFrame(entry, o) : undefined;
    const sharpest = needsSharpest.has(job.id) ? await options.cache.sharpestFrame(entry, SHARPEST_OF, o).catch((e: unknown) => {
      throw new ClipRenderError(job.id, job.at, `the sharpest of the last ${SHARPEST_OF} frames of clip \`${job.id}\` could not be found for the clips continuing it: ${e instanceof Error ? e.message : String(e)}`, 'failed');
    }) : undefined;
    const tails = new Map<number, string>();
    for (const [seconds, maxBytes] of needsTails.get(job.id) ?? []) {
      const tail = await options.cache.tail(entry, seconds, { ...o, ...(maxBytes === undefined ? {} : { maxBytes }) }).catch((e: unknown) => {
        throw new ClipRenderError(job.id, job.at, `the last ${seconds} s of clip \`${job.id}\` could not be cut for the clips continuing it: ${e instanceof Error ? e.message : String(e)}`, 'failed');
      });
      tails.set(seconds, tail);
    }
    return {
      clip: job.id, key, file: entry.file, sha256: entry.meta.sha256, cached, entry, ...(lastFrame ? { lastFrame } : {}), ...(tails.size ? { tails } : {}),
      ...(sharpest ? { sharpestFrame: sharpest.png, seamFrame: sharpest.choice } : {}),
    };
  }
}

/**
 * Which clips others take the last frame of (or the sharpest of the last frames), and which tail lengths others carry
 * from which clips (with the smallest file size the receiving models take). A clip depended on without being an input
 * keeps its last frame extracted, as before clip continuation.
 */
function upstreamNeeds(jobs: readonly ClipJob[]): { frames: Set<ClipId>; sharpest: Set<ClipId>; tails: Map<ClipId, Map<number, number | undefined>> } {
  const frames = new Set<ClipId>();
  const sharpest = new Set<ClipId>();
  const tails = new Map<ClipId, Map<number, number | undefined>>();
  for (const job of jobs) {
    const maxBytes = findModel(job.model)?.frames.clip?.maxBytes;
    for (const { from } of job.inputs) {
      if (!('clip' in from)) continue;
      if (!('tail' in from)) {
        (from.frame === 'sharpest' ? sharpest : frames).add(from.clip);
        continue;
      }
      const lengths = tails.get(from.clip) ?? new Map<number, number | undefined>();
      const known = lengths.get(from.tail);
      lengths.set(from.tail, known === undefined ? maxBytes : maxBytes === undefined ? known : Math.min(known, maxBytes));
      tails.set(from.clip, lengths);
    }
  }
  for (const id of jobs.flatMap((j) => j.dependsOn)) if (!tails.has(id) && !sharpest.has(id)) frames.add(id);
  return { frames, sharpest, tails };
}
