// Result videos of the emulator made by the preview renderer, so a storyboard rendered through the
// emulator looks like its preview: the task's prompt on screen, the uploaded first frame as frame 0,
// the last frame at the end, the driving audio as sound, a first clip followed by the new seconds, and a reference-to-video task's references in
// the preview's reference strip (each thumbnail captioned with its label: "Image 1 · image"). With `drift`, an
// image-to-video result drifts from its first frame as the preview's simulated drift does (issue 15).
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseImageHeader } from '../../assets/image-header.js';
import { findModel, framedDimensions } from '../../compiler/models/registry.js';
import type { ClipInput, ClipJob, ClipReference } from '../../compiler/plan/types.js';
import type { FfmpegTools } from '../../media/ffmpeg-binaries.js';
import type { ResolvedInput, TaskJournal } from '../backend.js';
import { createPreviewBackend } from '../preview/preview-backend.js';
import { parseDrift, type PreviewDrift } from '../preview/preview-drift.js';
import { inputOf, parametersOf, resolutionOf } from './emulated-job.js';
import type { EmulatedJob, EmulatorRender } from './types.js';

const NO_JOURNAL: TaskJournal = { submitted: () => undefined, record: async () => undefined };

/** Options of {@link previewRender}. */
export interface PreviewRenderOptions {
  /** Simulated drift of results that start from a first frame: an object or a spec like `cast:6,-2,-5;gain:1.04;blur:0.6` (default: none). */
  readonly drift?: PreviewDrift | string;
}

/** An emulator render callback that draws each task with the preview backend. */
export function previewRender(tools: FfmpegTools, options: PreviewRenderOptions = {}): EmulatorRender {
  const drift = typeof options.drift === 'string' ? parseDrift(options.drift) : options.drift;
  const backend = createPreviewBackend({ concurrency: 2, ...(drift ? { drift } : {}) });
  return async (job, outFile, signal) => {
    const dir = await mkdtemp(join(dirname(outFile), '.emu-inputs-'));
    try {
      const inputs = new Map<ClipInput['name'], ResolvedInput>();
      const local = async (name: string, bytes: Buffer): Promise<void> => {
        const file = join(dir, name);
        await writeFile(file, bytes);
        inputs.set(name, { file, sha256: createHash('sha256').update(bytes).digest('hex') });
      };
      for (const [name, bytes] of Object.entries(job.media ?? {}) as [ClipInput['name'], Buffer][]) await local(name, bytes);
      for (const [k, ref] of (job.references ?? []).entries()) {
        if (ref.bytes) await local(`ref${k + 1}`, ref.bytes);
        else inputs.set(`ref${k + 1}`, { url: ref.url });
      }
      const key = createHash('sha256').update(JSON.stringify(job.body)).digest('hex').slice(0, 32);
      await backend.render({ job: clipJobOf(job), key, inputs, outFile, ffmpeg: tools, journal: NO_JOURNAL, signal });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

/** A clip job describing the task, with image-driven sizes following the first frame as the real service does. */
function clipJobOf(job: EmulatedJob): ClipJob {
  const input = inputOf(job.body);
  const params = parametersOf(job.body);
  const model = findModel(job.model);
  let { width, height } = job;
  const header = job.media?.first_frame ? parseImageHeader(job.media.first_frame) : undefined;
  // the picture the output's shape follows: the first frame, or the first clip
  const shape = job.firstClip ?? (header?.width && header.height ? { width: header.width, height: header.height } : undefined);
  if (model && model.sizing === 'resolution' && shape) {
    ({ width, height } = framedDimensions(resolutionOf(model, params), shape.width / shape.height));
  }
  const carried = carriedOf(job);
  return {
    id: job.taskId.slice(0, 8), scene: job.model, shots: [], at: { line: 1, column: 1 }, model: job.model,
    request: { method: 'POST', path: model?.endpoint ?? '', body: { model: job.model, input, parameters: params } },
    prompt: typeof input.prompt === 'string' ? input.prompt : '', seed: { value: Number(params.seed ?? 0), source: 'explicit' },
    inputs: carried ? [carried.input] : [], dependsOn: [], expected: { duration: job.duration + (carried?.carry.seconds ?? 0), width, height, fps: 30, audio: job.audio },
    cost: { usd: 0, perSecond: 0, resolution: model ? resolutionOf(model, params) : '720P' },
    ...(carried ? { carry: carried.carry } : {}),
    ...(job.references?.length ? { references: job.references.map(clipReferenceOf) } : {}),
  };
}

/** A continued task (a first clip the emulator read): the clip carried whole, then the task's `duration` new seconds. */
function carriedOf(job: EmulatedJob): { input: ClipInput; carry: NonNullable<ClipJob['carry']> } | undefined {
  if (!job.firstClip || !job.media?.first_clip) return undefined;
  const { frames } = job.firstClip;
  const seconds = frames / 30;
  return {
    input: { name: 'first_clip', kind: 'video', from: { clip: 'the sent clip', tail: Math.round(seconds * 1000) / 1000 }, at: { line: 1, column: 1 } },
    carry: { from: 'first_clip', seconds, frames },
  };
}

/** A task's reference as the preview shows it: its label, and what was sent in place of the character's name. */
function clipReferenceOf(ref: NonNullable<EmulatedJob['references']>[number], k: number): ClipReference {
  return { character: ref.voice ? `${ref.kind} + voice` : ref.kind, label: ref.label, kind: ref.kind, input: `ref${k + 1}` };
}
