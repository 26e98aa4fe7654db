// Rule: reference-to-video scenes send references their model takes (at least one; images, videos and total
// within its counts; one subject each; clip length with a reference video); `cast` only where references go;
// reference files and stills within the model's limits.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { findImageModel, stillPixels } from '../models/image-registry.js';
import type { ImageLimits, ModelSpec, ReferenceRules } from '../models/types.js';
import type { AssetRef, Scene, Storyboard } from '../storyboard.js';
import type { AssetFacts, Rule, SceneFacts } from './context.js';
import { checkAudioFile, checkImageFile, existence } from './assets.js';

const VIDEO_FORMATS = ['mp4', 'mov'];
const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;

/** References fit the scene's model; `cast` only on reference-to-video scenes; reference media within limits. */
export const references: Rule = ({ storyboard, scenes, assets }) => {
  const out: Diagnostic[] = [];
  for (const facts of scenes) {
    const { scene, model } = facts;
    if (!model) continue;
    const rules = model.references;
    if (!rules) {
      if (scene.cast) {
        out.push({ code: 'cast-ignored', severity: 'warning', span: scene.cast.span,
          message: `${model.id} takes no references, so the \`cast\` of scene \`${scene.id}\` is ignored (characters are described in words)`,
          hint: 'Use a reference-to-video model (`wan2.7-r2v`, `wan2.6-r2v`, `wan2.6-r2v-flash`) to send the characters\' images.' });
      }
      out.push(...framesFromStills(scene, model, storyboard));
      continue;
    }
    out.push(...checkScene(facts, model, rules, storyboard, assets));
    out.push(...framesFromStills(scene, model, storyboard));
  }
  out.push(...characterFiles(storyboard, assets));
  return dedupe(out);
};

/** A character's files exist and can be read, whether or not a scene sends them yet (a typo shows at once). */
function characterFiles(storyboard: Storyboard, assets: ReadonlyMap<string, AssetFacts> | undefined): Diagnostic[] {
  if (!assets) return [];
  return Object.values(storyboard.characters).flatMap((c) => [c.image, c.video, c.voice].flatMap((ref) => (ref ? existence(ref, assets) : [])));
}

function checkScene(facts: SceneFacts, model: ModelSpec, rules: ReferenceRules, storyboard: Storyboard, assets: ReadonlyMap<string, AssetFacts> | undefined): Diagnostic[] {
  const { scene, segments } = facts;
  const refs = scene.references ?? [];
  const out: Diagnostic[] = [];
  if (refs.length === 0) {
    out.push({ code: 'references-missing', severity: 'error', span: scene.cast?.span ?? scene.model.span,
      message: `${model.id} makes video from references, but scene \`${scene.id}\` sends none: no character it names has an \`image\` or a \`video\``,
      hint: 'Name a character that has an `image` (a file or `{ still: id }`) in the prompt as `{{characters.<name>}}`, or list it in `cast:`.' });
    return out;
  }
  let images = 0;
  let videos = 0;
  refs.forEach((r, i) => {
    const n = r.kind === 'image' ? ++images : ++videos;
    const max = r.kind === 'image' ? rules.maxImages : rules.maxVideos;
    if (n === max + 1 || i === rules.maxTotal) {
      const over = i === rules.maxTotal ? `${refs.length} references; it takes at most ${rules.maxTotal}` : `${r.kind === 'image' ? images : videos}+ reference ${r.kind}s; it takes at most ${max}`;
      out.push({ code: 'too-many-references', severity: 'error', span: r.span,
        message: `Scene \`${scene.id}\` sends ${model.id} ${over} (\`${r.character}\` is one too many)`,
        hint: 'Cast fewer characters (`cast: [..]`), or split the scene.' });
    }
  });
  // one subject per reference: the same picture cannot stand for two characters
  if (rules.oneSubject) {
    const seen = new Map<string, string>();
    for (const r of refs) {
      const c = storyboard.characters[r.character];
      const ref = r.kind === 'image' ? c?.image : c?.video;
      if (!ref) continue;
      const same = seen.get(`${ref.kind}:${ref.relative ?? ref.ref}`);
      if (same) {
        out.push({ code: 'reference-shared', severity: 'error', span: ref.span,
          message: `Characters \`${same}\` and \`${r.character}\` use the same ${r.kind} \`${ref.ref}\`; ${model.id} takes one subject per reference`,
          hint: 'Give each character a picture of itself alone.' });
      }
      seen.set(`${ref.kind}:${ref.relative ?? ref.ref}`, r.character);
    }
  }
  if (refs.some((r) => r.kind === 'video') && rules.maxDurationWithVideo) {
    const long = segments.find((s) => s.duration > (rules.maxDurationWithVideo ?? Infinity));
    if (long) {
      out.push({ code: 'duration-out-of-range', severity: 'error', span: scene.settings.duration?.span ?? scene.idSpan,
        message: `Clip \`${long.id}\` of scene \`${scene.id}\` lasts ${long.duration} s; with a reference video ${model.id} makes clips of at most ${rules.maxDurationWithVideo} s`,
        hint: `Shorten the scene, split it into scenes of up to ${rules.maxDurationWithVideo} s, or send the characters' images instead (\`cast: [name.image]\`).` });
    }
  }
  for (const r of refs) {
    const c = storyboard.characters[r.character];
    if (!c) continue;
    if (c.voice && r.origin !== undefined && !rules.voice) {
      out.push({ code: 'voice-ignored', severity: 'warning', span: c.voice.span,
        message: `${model.id} takes no reference voice, so the voice of \`${c.id}\` is not sent in scene \`${scene.id}\``,
        hint: 'wan2.7-r2v takes a voice with each reference.' });
    }
    if (assets) {
      if (r.kind === 'image' && c.image) out.push(...checkReferenceImage(c.image, rules.image, model, storyboard, assets));
      if (r.kind === 'video' && c.video) out.push(...checkVideo(c.video, rules, model, assets));
      if (c.voice && rules.voice) out.push(...checkAudioFile(c.voice, assets, rules.voice, model.id));
    } else if (r.kind === 'image' && c.image?.kind === 'still') {
      out.push(...stillWithin(c.image, rules.image, model, storyboard));
    }
  }
  return out;
}

/** A first or last frame given as a still must have a size the model takes. */
function framesFromStills(scene: Scene, model: ModelSpec, storyboard: Storyboard): Diagnostic[] {
  const limits = model.frames.image;
  if (!limits) return [];
  return [scene.firstFrame, scene.lastFrame].flatMap((f) => (f?.kind === 'still' ? stillWithin(f, limits, model, storyboard) : []));
}

/** A still's pixel size against an image limit. */
function stillWithin(ref: AssetRef, limits: ImageLimits, model: ModelSpec, storyboard: Storyboard): Diagnostic[] {
  const still = storyboard.stills.find((s) => s.id === ref.ref);
  const imageModel = still ? findImageModel(still.model.id) : undefined;
  if (!still || !imageModel) return [];
  const { width, height } = stillPixels(imageModel, still.size?.value);
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  if (short >= limits.minSide && long <= limits.maxSide) return [];
  return [{ code: 'image-dimensions-out-of-range', severity: 'error', span: ref.span,
    message: `Still \`${still.id}\` is ${width}×${height}; ${model.id} takes images with sides from ${limits.minSide} to ${limits.maxSide} pixels`,
    hint: `Give the still a \`size\` within those sides${imageModel.sizes.named.length ? ` (e.g. \`1K\`)` : ''}.`,
    related: [{ message: 'the still', span: still.idSpan }] }];
}

function checkReferenceImage(ref: AssetRef, limits: ImageLimits, model: ModelSpec, storyboard: Storyboard, assets: ReadonlyMap<string, AssetFacts>): Diagnostic[] {
  if (ref.kind === 'still') return stillWithin(ref, limits, model, storyboard);
  return checkImageFile(ref, assets, limits, model);
}

function checkVideo(ref: AssetRef, rules: ReferenceRules, model: ModelSpec, assets: ReadonlyMap<string, AssetFacts>): Diagnostic[] {
  const missing = existence(ref, assets);
  if (missing.length || ref.kind !== 'local' || !ref.relative) return missing;
  const f = assets.get(ref.relative);
  if (!f) return [];
  if (!f.video || !VIDEO_FORMATS.includes(f.video.format)) {
    return [{ code: 'video-format-unsupported', severity: 'error', span: ref.span,
      message: `\`${ref.ref}\` is not a recognised MP4 or MOV video; ${model.id} takes reference videos as MP4 or MOV` }];
  }
  const out: Diagnostic[] = [];
  const d = f.video.duration;
  if (d < rules.video.minSeconds - 0.05 || d > rules.video.maxSeconds + 0.05) {
    out.push({ code: 'video-duration-out-of-range', severity: 'error', span: ref.span,
      message: `\`${ref.ref}\` lasts ${d.toFixed(1)} s; ${model.id} takes reference videos from ${rules.video.minSeconds} to ${rules.video.maxSeconds} s` });
  }
  if (f.bytes !== undefined && f.bytes > rules.video.maxBytes) {
    out.push({ code: 'video-file-too-large', severity: 'error', span: ref.span,
      message: `\`${ref.ref}\` is ${mb(f.bytes)}; ${model.id} takes reference videos up to ${mb(rules.video.maxBytes)}` });
  }
  return out;
}


/** A character cast in several scenes is checked once per scene (and its files once more): report each problem once. */
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code}:${d.span?.start}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
