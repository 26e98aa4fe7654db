// Makes one still for the runner: inputs resolved, keyed by content, taken from the cache or made by the
// backend (journaled like a clip), checked to be a PNG, and cached.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { StillId, StillJob } from '../compiler/plan/types.js';
import type { Repair } from '../diagnostics/repair.js';
import { probeMedia } from '../media/ffmpeg.js';
import { stillKey } from './clip-key.js';
import type { RunEvent } from './events.js';
import type { PrioritySlots } from './priority-slots.js';
import { resolveInputs, type UpstreamStill } from './resolve-inputs.js';
import { backendWork } from './backend-work.js';
import { ClipRenderError } from './clip-render-error.js';
import type { RunPlanOptions } from './run-options.js';
import type { StillEntry } from './still-cache.js';

/** A still that is available: made now or taken from the cache. */
export interface StillResult extends UpstreamStill {
  readonly still: StillId;
  readonly key: string;
  readonly cached: boolean;
  readonly entry: StillEntry;
}

/** What the runner shares with the still maker. */
interface StillContext {
  readonly options: RunPlanOptions;
  readonly slots: PrioritySlots;
  readonly priority: ReadonlyMap<string, number>;
  readonly order: ReadonlyMap<string, number>;
  readonly emit: (e: RunEvent) => void;
  readonly onRepair: (r: Repair) => void;
  readonly hashes: Map<string, Promise<string>>;
  readonly stills: ReadonlyMap<StillId, StillResult>;
}

/** Makes (or reuses) one still; failures are ClipRenderErrors of kind `still` with the still's YAML position. */
export async function makeStill(job: StillJob, c: StillContext): Promise<StillResult> {
  const { options, emit } = c;
  const fail = (message: string, reason: ClipRenderError['reason'] = 'failed'): ClipRenderError => new ClipRenderError(job.id, job.at, message, reason, 'still');
  if (options.signal?.aborted) throw fail('the run was stopped', 'aborted');
  const inputs = await resolveInputs(job, options.baseDir, { clip: () => undefined, still: (s) => c.stills.get(s) }, c.hashes);
  const key = stillKey(job, { backend: { name: options.backend.name, version: options.backend.version }, inputs: inputs.forKey });
  const store = options.cache.stills;
  const cached = options.force ? undefined : await store.get(key, c.onRepair);
  if (cached) {
    emit({ type: 'cached', clip: job.id, key, node: 'still' });
    return { still: job.id, key, file: cached.file, sha256: cached.meta.sha256, cached: true, entry: cached };
  }
  if (options.frozen) throw fail(`still \`${job.id}\` is not in the cache and --frozen forbids making it`, 'frozen');
  const backend = options.backend;
  if (!backend.makeStill) throw fail(`the ${backend.name} backend cannot make stills`);
  const makeStill = backend.makeStill.bind(backend);
  const tmp = join(options.cache.tmpDir, `${key}.${randomBytes(4).toString('hex')}.png`);
  const { entry, outcome, wallMs } = await backendWork({
    options, slots: c.slots, node: { id: job.id, at: job.at, model: job.model, kind: 'still' }, key, tmp, emit,
    priority: c.priority.get(job.id) ?? 0, order: c.order.get(job.id) ?? 0,
    call: (releaseSlot) => makeStill({
      job, key, inputs: inputs.forBackend, outFile: tmp, ffmpeg: options.ffmpeg, journal: options.journal,
      signal: options.signal ?? new AbortController().signal, onProgress: (fraction) => emit({ type: 'progress', clip: job.id, fraction }),
      releaseSlot, onNotice: (n) => emit({ type: 'notice', clip: job.id, kind: n.kind, message: n.message }), onRepair: c.onRepair,
    }),
    keep: async (outcome, wallMs) => {
      const info = await probeMedia(options.ffmpeg, tmp);
      const video = info.streams.find((s) => s.codecType === 'video');
      if (!video?.width || !video.height || video.codecName !== 'png') throw new Error(`the backend returned no PNG image for still \`${job.id}\``);
      const entry = await store.put(key, tmp, {
        still: job.id, width: video.width, height: video.height, backend: backend.name,
        ...(outcome.taskId ? { taskId: outcome.taskId } : {}), ...(outcome.actualPrompt ? { actualPrompt: outcome.actualPrompt } : {}),
        ...(outcome.billedImages !== undefined ? { billedImages: outcome.billedImages } : {}),
      });
      return { entry, outcome, wallMs };
    },
  });
  emit({ type: 'rendered', clip: job.id, key, seconds: 0, wallMs, node: 'still', ...(outcome.taskId ? { taskId: outcome.taskId } : {}) });
  return { still: job.id, key, file: entry.file, sha256: entry.meta.sha256, cached: false, entry };
}
