// Builds the exact DashScope request body of one clip: only what the user set or the model requires, plus
// the seed, with `$input.<name>` placeholders for media.
import { parseSize, sizeFor } from '../models/registry.js';
import type { ModelSpec, Resolution } from '../models/types.js';
import type { ClipSegment } from '../segment-scene.js';
import type { AssetRef, Character, Scene } from '../storyboard.js';
import type { ClipId, ClipInput, ClipReference, ClipRequest, InputSource, SourcePosition } from './types.js';

/** What a clip's request needs to know besides its scene. */
interface RequestFacts {
  readonly segment: ClipSegment;
  /** This clip is the first / last of its scene (frames given on the scene go there). */
  readonly first: boolean;
  readonly last: boolean;
  /** Clip whose last frame becomes this clip's first frame, if any, and which of its last frames (`seam_frame`). */
  readonly firstFrameFrom?: ClipId;
  readonly seamFrame?: 'last' | 'sharpest';
  /** Clip continuation: the clip whose last `seconds` are sent as `first_clip` (instead of a first frame). */
  readonly carryFrom?: { readonly clip: ClipId; readonly seconds: number };
  /** Re-anchoring: the anchor image sent as this clip's `last_frame` target (unless the scene ends on its own). */
  readonly anchorFrame?: { readonly from: InputSource; readonly offset: number };
  readonly prompt: string;
  readonly seed: number;
  /** Whether the scene is split into several clips (duration must then be sent). */
  readonly split: boolean;
  readonly position: (offset: number) => SourcePosition;
  readonly characters: Readonly<Record<string, Character>>;
}

/** Builds the exact request body of a clip: only what the user set or the model requires, plus the seed. */
export function buildRequest(scene: Scene, facts: RequestFacts): { request: ClipRequest; inputs: ClipInput[]; references: ClipReference[] } {
  const model = facts.segment.model;
  const input: Record<string, unknown> = {};
  const parameters: Record<string, unknown> = {};
  const inputs: ClipInput[] = [];
  const s = scene.settings;
  if (facts.prompt) input.prompt = facts.prompt;
  if (s.negative_prompt) input.negative_prompt = s.negative_prompt.value;

  const firstClip: InputSource | undefined = facts.carryFrom && model.frames.clip ? { clip: facts.carryFrom.clip, tail: facts.carryFrom.seconds } : undefined;
  const firstFrame: InputSource | undefined = firstClip ? undefined : facts.firstFrameFrom ? { clip: facts.firstFrameFrom, frame: facts.seamFrame ?? 'last' }
    : facts.first && scene.firstFrame ? sourceOf(scene.firstFrame) : undefined;
  const ownLast = facts.last && scene.lastFrame ? { from: sourceOf(scene.lastFrame), offset: scene.lastFrame.span.start } : undefined;
  const lastFrame = ownLast ?? (model.frames.last ? facts.anchorFrame : undefined);
  // a continued clip takes no driving audio (`first_clip` goes alone or with a `last_frame`)
  const audio = facts.first && !firstClip && scene.audio && model.audio.input ? sourceOf(scene.audio) : undefined;
  const place = (name: string, kind: ClipInput['kind'], src: InputSource, offset: number): string => {
    if ('url' in src) return src.url;
    inputs.push({ name, kind, from: src, at: facts.position(offset) });
    return `$input.${name}`;
  };
  // a continuation piece's first frame comes from the previous piece of the same scene, not from `continues`
  const firstOffset = facts.segment.continuesPrevious && !facts.first ? (scene.parts?.[facts.segment.part ? facts.segment.part - 1 : 0]?.span.start ?? scene.idSpan.start)
    : scene.continues?.span.start ?? scene.firstFrame?.span.start ?? scene.idSpan.start;
  // reference-to-video: the characters' references, in the scene's order, before any frame
  const references: ClipReference[] = [];
  const refItems: Record<string, string>[] = [];
  if (model.references) {
    (scene.references ?? []).forEach((r, i) => {
      const c = facts.characters[r.character];
      const asset = r.kind === 'image' ? c?.image : c?.video;
      if (!c || !asset) return;
      const name = `ref${i + 1}`;
      const item: Record<string, string> = { type: r.kind === 'image' ? 'reference_image' : 'reference_video', url: place(name, r.kind, sourceOf(asset), asset.span.start) };
      let voice: string | undefined;
      if (c.voice && model.references?.voice) {
        voice = `${name}_voice`;
        item.reference_voice = place(voice, 'audio', sourceOf(c.voice), c.voice.span.start);
      }
      refItems.push(item);
      references.push({ character: r.character, label: r.label, kind: r.kind, input: name, ...(voice ? { voice } : {}) });
    });
    if (model.references.field === 'reference_urls') input.reference_urls = refItems.map((i) => i.url);
  }
  if (model.frames.first === 'media' || model.references?.field === 'media') {
    const media: Record<string, string>[] = model.references?.field === 'media' ? refItems : [];
    if (firstClip) media.push({ type: 'first_clip', url: place('first_clip', 'video', firstClip, firstOffset) });
    if (firstFrame) media.push({ type: 'first_frame', url: place('first_frame', 'image', firstFrame, firstOffset) });
    if (lastFrame) media.push({ type: 'last_frame', url: place('last_frame', 'image', lastFrame.from, lastFrame.offset) });
    if (audio && scene.audio) media.push({ type: 'driving_audio', url: place('audio', 'audio', audio, scene.audio.span.start) });
    input.media = media;
  } else {
    if (firstFrame && model.frames.first) input[model.frames.first] = place('first_frame', 'image', firstFrame, firstOffset);
    if (lastFrame && model.frames.last) input[model.frames.last] = place('last_frame', 'image', lastFrame.from, lastFrame.offset);
    if (audio && scene.audio && model.audio.input) input[model.audio.input.field] = place('audio', 'audio', audio, scene.audio.span.start);
  }

  Object.assign(parameters, sizeParameters(scene, model));
  if (s.duration || scene.shots.length > 0 || facts.split || facts.segment.duration !== model.duration.default) parameters.duration = facts.segment.duration;
  if (s.prompt_extend) parameters.prompt_extend = s.prompt_extend.value;
  if (s.watermark) parameters.watermark = s.watermark.value;
  const shotType = shotTypeOf(scene, facts.segment, model);
  if (shotType) parameters.shot_type = shotType;
  if (s.audio?.value === false && model.audio.canSilence) parameters.audio = false;
  parameters.seed = facts.seed;
  return { request: { method: 'POST', path: model.endpoint, body: { model: model.id, input, parameters } }, inputs, references };
}

/** Where an asset comes from at run time: its URL as is, a local file, or a still made by the run. */
export function sourceOf(ref: AssetRef): InputSource {
  return ref.kind === 'url' ? { url: ref.ref } : ref.kind === 'still' ? { still: ref.ref } : { file: ref.relative ?? ref.ref };
}

/** Size parameters in the model's own style: `resolution`+`ratio`, `size`, or `resolution`; only when the user set them. */
function sizeParameters(scene: Scene, model: ModelSpec): Record<string, string> {
  const { resolution, ratio, size } = scene.settings;
  const fromSize = size ? parseSize(size.value) : undefined;
  const tier: Resolution | undefined = fromSize?.resolution ?? resolution?.value;
  if (model.sizing === 'size') {
    if (size) return { size: size.value };
    if (!resolution && !ratio) return {};
    const mapped = sizeFor(tier ?? model.defaultResolution, ratio?.value ?? '16:9');
    return mapped ? { size: mapped } : {};
  }
  const out: Record<string, string> = {};
  if (tier) out.resolution = tier;
  if (model.sizing === 'resolution+ratio') {
    const r = fromSize?.ratio ?? ratio?.value;
    if (r) out.ratio = r;
  }
  return out;
}

function shotTypeOf(scene: Scene, segment: ClipSegment, model: ModelSpec): string | undefined {
  if (model.multiShot !== 'shot_type') return undefined;
  if (scene.settings.shot_type?.origin === 'scene') return scene.settings.shot_type.value;
  if (segment.pieces.length > 1) return 'multi';
  return scene.settings.shot_type?.value;
}
