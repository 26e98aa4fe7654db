// Compiles a validated storyboard into its Plan: one ClipJob per clip in film order (request, inputs, seed,
// cost, expected output) and the StitchJob.
import { LineIndex } from '../diagnostics/format.js';
import type { SceneFacts } from './check/context.js';
import { baseName } from './resolve-ref.js';
import { clipPrompt } from './clip-prompt.js';
import { buildRequest } from './plan/build-request.js';
import { deriveSeed } from './plan/derive-seed.js';
import { clipCost, expectedOutput, newSeconds, tierOf } from './plan/expected-output.js';
import { planStitch, type StitchClip } from './plan/stitch-plan.js';
import { stillJob } from './plan/still-jobs.js';
import { upstreamFirst } from './plan/upstream-first.js';
import { anchorFrame, chainOf, rootChain } from './plan/chain-of.js';
import { ChainSettings } from './chain-settings.js';
import { addSeconds } from './format-seconds.js';
import type { ClipJob, Plan, StillJob } from './plan/types.js';
import type { ValidStoryboard } from './validate-storyboard.js';
import { findImageModel, stillPixels } from './models/image-registry.js';
import type { AssetRef, Scene } from './storyboard.js';

/** Frames a second: every clip and film is 30 fps. */
const FPS = 30;

/** Compiles a validated storyboard into its plan: one job per clip, in film order, and the stitch job. Pure. */
export function planStoryboard(valid: ValidStoryboard): Plan {
  const { storyboard, context } = valid;
  const index = new LineIndex(storyboard.source.text);
  const position = (offset: number): { line: number; column: number } => {
    const p = index.position(offset);
    return { line: p.line, column: p.col };
  };
  const identity = storyboard.title ?? baseName(storyboard.source.path);
  const lastClipOf = new Map<string, ClipJob>();
  const jobById = new Map<string, ClipJob>();
  const clips: StitchClip[] = [];
  const scenesById = new Map(context.scenes.map((f) => [f.scene.id, f.scene]));
  const sceneById = (id: string): Scene | undefined => scenesById.get(id);
  const chainSettings = new ChainSettings(sceneById);
  // scenes are compiled upstream-first so a `continues` target's last clip is known; film order is restored below
  for (const facts of upstreamFirst(context.scenes, (s) => s.scene.id, (s) => (s.scene.continues ? [s.scene.continues.id] : []))) {
    const { scene, segments } = facts;
    let previous: ClipJob | undefined;
    segments.forEach((segment, i) => {
      const firstFrameFrom = segment.continuesPrevious ? previous?.id : i === 0 && scene.continues ? lastClipOf.get(scene.continues.id)?.id : undefined;
      const upstream = firstFrameFrom ? jobById.get(firstFrameFrom) : undefined;
      const carrySeconds = segment.continuesPrevious ? segment.carry : i === 0 ? scene.continues?.carry?.seconds : undefined;
      const carryFrom = upstream && carrySeconds && segment.model.frames.clip ? { clip: upstream.id, seconds: carrySeconds } : undefined;
      const chain = chainOf({ scene, model: segment.model, position, settings: chainSettings, ...(upstream ? { upstream } : {}) });
      const anchor = anchorFrame(chain);
      // the upstream clip hands on the frame its chain asks for (`seam_frame`); a clip continuation carries seconds instead
      const upstreamScene = upstream ? sceneById(upstream.scene) : undefined;
      const seamFrame = upstreamScene && !carryFrom ? chainSettings.setting(upstreamScene, 'seam_frame')?.value : undefined;
      const prompt = clipPrompt(segment, scene, storyboard);
      const explicitSeed = scene.settings.seed?.value;
      const seed = explicitSeed ?? deriveSeed(identity, segment.id);
      const { request, inputs, references } = buildRequest(scene, {
        segment, first: i === 0, last: i === segments.length - 1, prompt, seed, split: segments.length > 1, position, characters: storyboard.characters,
        ...(firstFrameFrom ? { firstFrameFrom } : {}), ...(carryFrom ? { carryFrom } : {}), ...(seamFrame ? { seamFrame } : {}),
        ...(anchor && chain ? { anchorFrame: { from: anchor, offset: scene.anchor?.span.start ?? scene.idSpan.start } } : {}),
      });
      const aspect = upstream ? upstream.expected.width / upstream.expected.height : imageAspect(valid, scene.firstFrame);
      const anchorStill = chain && 'still' in chain.anchor && (chain.colourMatch || chain.reanchored) ? [chain.anchor.still] : [];
      const stills = [...new Set([...inputs.flatMap((x) => ('still' in x.from ? [x.from.still] : [])), ...anchorStill])];
      // a continued clip's video is the carried seconds and then the new ones; only the new ones are asked for (and billed)
      const expected = expectedOutput(scene, segment.model, addSeconds(segment.duration, carryFrom?.seconds ?? 0), aspect);
      const cost = withInputVideo(clipCost(segment.model, tierOf(scene, segment.model), segment.duration, !expected.audio && segment.model.audio.canSilence),
        referenceVideoSeconds(valid, references.filter((r) => r.kind === 'video').map((r) => storyboard.characters[r.character]?.video)), segment.model.references?.billedInputVideoCap);
      const job: ClipJob = {
        id: segment.id, scene: scene.id, shots: [...new Set(segment.pieces.map((p) => p.shot.id))],
        ...(segment.part ? { part: segment.part } : {}),
        at: position(segment.pieces[0]?.shot.span.start ?? (segment.part ? scene.parts?.[segment.part - 1]?.span.start : undefined) ?? scene.span.start),
        model: segment.model.id, request, prompt,
        seed: { value: seed, source: explicitSeed === undefined ? 'derived' : 'explicit' },
        inputs, dependsOn: firstFrameFrom ? [firstFrameFrom] : [], expected,
        cost: carryFrom ? { ...cost, carriedSeconds: carryFrom.seconds } : cost,
        ...(stills.length ? { stills } : {}),
        ...(references.length ? { references } : {}),
        ...(carryFrom ? { carry: { from: carryFrom.clip, seconds: carryFrom.seconds, frames: Math.round(carryFrom.seconds * FPS) } } : {}),
        ...(chain ? { chain } : {}),
      };
      jobById.set(job.id, job);
      clips.push({ job, sceneIndex: scene.index, continuesPrevious: segment.continuesPrevious, cues: cuesOf(segment) });
      previous = job;
    });
    if (previous) lastClipOf.set(scene.id, previous);
  }
  clips.sort((a, b) => a.sceneIndex - b.sceneIndex);
  withRootChains(clips, sceneById, chainSettings, position);
  const jobs = clips.map((c) => c.job);
  const stills = planStills(valid, identity, position, jobs);
  const stillsUsd = Math.round(stills.reduce((s, j) => s + j.cost.usd, 0) * 10000) / 10000;
  return {
    version: 1,
    storyboard: { file: storyboard.source.path, identity, ...(storyboard.title ? { title: storyboard.title } : {}) },
    jobs,
    stills,
    stitch: planStitch(storyboard, clips),
    totals: {
      clips: jobs.length,
      // seconds asked for (and billed): a continued clip's carried seconds are not new
      seconds: jobs.reduce((s, j) => addSeconds(s, newSeconds(j)), 0),
      usd: Math.round((jobs.reduce((s, j) => s + j.cost.usd, 0) + stillsUsd) * 10000) / 10000,
      stills: stills.length,
      stillsUsd,
    },
  };
}

/** Gives the first clip of each continuity chain (a clip others continue, itself continuing nothing) its chain: hop 0. */
function withRootChains(clips: StitchClip[], sceneById: (id: string) => Scene | undefined, settings: ChainSettings, position: (offset: number) => { line: number; column: number }): void {
  const roots = new Set(clips.flatMap((c) => (c.job.chain ? [c.job.chain.root] : [])));
  clips.forEach((c, i) => {
    const scene = sceneById(c.job.scene);
    if (!roots.has(c.job.id) || c.job.chain || !scene) return;
    const chain = rootChain(c.job, { scene, settings, position });
    const anchorStill = 'still' in chain.anchor && chain.colourMatch ? [chain.anchor.still] : [];
    const stills = [...new Set([...(c.job.stills ?? []), ...anchorStill])];
    clips[i] = { ...c, job: { ...c.job, chain, ...(stills.length ? { stills } : {}) } };
  });
}

/** The aspect ratio of a first frame: a local image's header, or a still's planned size; undefined for URLs. */
function imageAspect(valid: ValidStoryboard, ref: AssetRef | undefined): number | undefined {
  if (ref?.kind === 'still') {
    const still = valid.storyboard.stills.find((s) => s.id === ref.ref);
    const model = still ? findImageModel(still.model.id) : undefined;
    if (!still || !model) return undefined;
    const { width, height } = stillPixels(model, still.size?.value);
    return width / height;
  }
  const img = ref?.relative ? valid.context.assets?.get(ref.relative)?.image : undefined;
  return img?.width && img.height ? img.width / img.height : undefined;
}

/** Seconds of reference video a clip sends (from the files' headers; a URL counts as unknown, i.e. the whole cap). */
function referenceVideoSeconds(valid: ValidStoryboard, videos: readonly (AssetRef | undefined)[]): number {
  return videos.reduce((sum, v) => {
    const d = v?.relative ? valid.context.assets?.get(v.relative)?.video?.duration : undefined;
    return sum + (d ?? Infinity);
  }, 0);
}

/** Adds billed input video seconds (reference videos, capped per clip) to a clip's cost. */
function withInputVideo(cost: ClipJob['cost'], seconds: number, cap: number | undefined): ClipJob['cost'] {
  if (!cap || seconds <= 0) return cost;
  const billed = Math.min(cap, seconds);
  return { ...cost, usd: Math.round((cost.usd + cost.perSecond * billed) * 10000) / 10000, inputVideoSeconds: billed };
}

/** The stills in file order, each with the clips and stills that use it. */
function planStills(valid: ValidStoryboard, identity: string, position: (offset: number) => { line: number; column: number }, jobs: readonly ClipJob[]): StillJob[] {
  const made = valid.storyboard.stills.map((s) => stillJob(s, identity, position)).filter((j): j is Omit<StillJob, 'usedBy'> => j !== undefined);
  return made.map((j) => ({
    ...j,
    usedBy: [...jobs.filter((c) => c.stills?.includes(j.id)).map((c) => c.id), ...made.filter((s) => s.dependsOn.includes(j.id)).map((s) => s.id)],
  }));
}

function cuesOf(segment: SceneFacts['segments'][number]): StitchClip['cues'] {
  let t = 0;
  const out: { shot: string; from: number; to: number; text: string; kind: 'dialogue' | 'caption' }[] = [];
  for (const p of segment.pieces) {
    const len = p.to - p.from;
    for (const kind of ['caption', 'dialogue'] as const) {
      const text = p.shot[kind]?.rendered;
      if (text) out.push({ shot: p.shot.id, from: t, to: t + len, text, kind });
    }
    t += len;
  }
  return out;
}
