// Rule: referenced local files exist, stay inside the project, and are images/audio the model accepts
// (format, size, dimensions, duration, from header facts).
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { findImageModel } from '../models/image-registry.js';
import type { ImageLimits, ModelSpec } from '../models/types.js';
import type { AssetRef } from '../storyboard.js';
import type { AssetFacts, Rule } from './context.js';

const IMAGE_FORMATS = ['jpeg', 'png', 'bmp', 'webp'];
const AUDIO_FORMATS = ['wav', 'mp3'];
const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;

/** Local files exist, stay inside the project, and are images/audio the model accepts (from header facts). */
export const assets: Rule = ({ storyboard, scenes, assets: facts }) => {
  if (!facts) return [];
  const out: Diagnostic[] = [];
  const anchors = new Set<number>();
  for (const { scene, model, segments } of scenes) {
    const firstModel = segments[0]?.model ?? model;
    const lastModel = segments[segments.length - 1]?.model ?? model;
    if (scene.firstFrame) out.push(...checkImageFile(scene.firstFrame, facts, firstModel?.frames.image, firstModel));
    if (scene.lastFrame) out.push(...checkImageFile(scene.lastFrame, facts, lastModel?.frames.image, lastModel));
    if (scene.audio) out.push(...checkAudio(scene.audio, facts, model));
    // an anchor may be sent as a `last_frame` (re-anchoring): the same limits; one in `defaults` is checked once
    const anchor = scene.anchor?.ref;
    if (anchor && anchor !== 'first' && !anchors.has(anchor.span.start)) {
      anchors.add(anchor.span.start);
      out.push(...checkImageFile(anchor, facts, lastModel?.frames.image, lastModel));
    }
  }
  for (const still of storyboard.stills) {
    const model = findImageModel(still.model.id);
    for (const img of still.images) out.push(...checkImageFile(img, facts, model?.inputImage, model));
  }
  const music = storyboard.output.music?.file;
  if (music) {
    const missing = existence(music, facts);
    out.push(...(missing.length ? missing : headerCheck(music, facts.get(music.relative ?? ''))));
  }
  return out;
};

/** Highest sample rate and channel count a recording plausibly has (768 kHz is the top rate any common format stores). */
const MAX_SAMPLE_RATE = 768_000;
const MAX_CHANNELS = 64;

/** A WAV header that describes no playable audio (0 Hz, no channels, absurd values): every decoder refuses it at render. */
function headerCheck(ref: AssetRef, f: AssetFacts | undefined): Diagnostic[] {
  const a = f?.audio;
  if (a?.format !== 'wav') return [];
  const rate = a.sampleRate;
  const channels = a.channels;
  const problem = rate === undefined || channels === undefined ? 'it has no readable `fmt ` chunk'
    : rate < 1 || rate > MAX_SAMPLE_RATE ? `its header says ${rate.toLocaleString('en')} Hz`
    : channels < 1 || channels > MAX_CHANNELS ? `its header says ${channels} channels`
    : undefined;
  if (!problem) return [];
  return [{ code: 'audio-header-invalid', severity: 'error', span: ref.span, message: `\`${ref.ref}\` is not a usable WAV file: ${problem}`,
    hint: `A WAV file needs 1 to ${MAX_CHANNELS} channels at 1 Hz to ${MAX_SAMPLE_RATE / 1000} kHz; export the recording again.` }];
}

/** Whether a local file exists, stays inside the project and can be read (empty when it does). */
export function existence(ref: AssetRef, facts: ReadonlyMap<string, AssetFacts>): Diagnostic[] {
  if (ref.kind !== 'local' || !ref.relative) return [];
  const f = facts.get(ref.relative);
  if (!f) return [];
  if (!f.exists) {
    return [{ code: 'asset-not-found', severity: 'error', span: ref.span, message: `File \`${ref.ref}\` does not exist`,
      hint: 'Paths are relative to the storyboard\'s directory.' }];
  }
  if (f.insideProject === false) {
    return [{ code: 'path-escapes-project', severity: 'error', span: ref.span,
      message: `\`${ref.ref}\` is a link to a file outside the storyboard's directory`, hint: 'Copy the file into the project instead of linking to it.' }];
  }
  if (f.error) return [{ code: 'asset-not-found', severity: 'error', span: ref.span, message: `File \`${ref.ref}\` cannot be read: ${f.error}` }];
  return [];
}

/** An image file: format the service takes, no alpha, sides and size within `limits`. */
export function checkImageFile(ref: AssetRef, facts: ReadonlyMap<string, AssetFacts>, limits: ImageLimits | undefined, model: { readonly id: string } | undefined): Diagnostic[] {
  const missing = existence(ref, facts);
  if (missing.length || ref.kind !== 'local' || !ref.relative) return missing;
  const f = facts.get(ref.relative);
  if (!f) return [];
  const img = f.image;
  if (!img || !IMAGE_FORMATS.includes(img.format)) {
    return [{ code: 'image-format-unsupported', severity: 'error', span: ref.span,
      message: `\`${ref.ref}\` is ${img ? `a ${img.format.toUpperCase()} image` : 'not a recognised image'}; frames must be JPEG, PNG, BMP or WEBP` }];
  }
  if (img.format === 'png' && img.hasAlpha) {
    return [{ code: 'image-format-unsupported', severity: 'error', span: ref.span,
      message: `\`${ref.ref}\` is a PNG with an alpha channel, which the service rejects`, hint: 'Save it without transparency (e.g. `ffmpeg -i in.png -pix_fmt rgb24 out.png`).' }];
  }
  const out: Diagnostic[] = [];
  if (limits && img.width !== undefined && img.height !== undefined) {
    const short = Math.min(img.width, img.height);
    const long = Math.max(img.width, img.height);
    if (short < limits.minSide || long > limits.maxSide) {
      out.push({ code: 'image-dimensions-out-of-range', severity: 'error', span: ref.span,
        message: `\`${ref.ref}\` is ${img.width}×${img.height}; ${model?.id ?? 'the model'} accepts sides from ${limits.minSide} to ${limits.maxSide} pixels` });
    } else if (limits.maxAspect && long / short > limits.maxAspect) {
      out.push({ code: 'image-dimensions-out-of-range', severity: 'error', span: ref.span,
        message: `\`${ref.ref}\` is ${img.width}×${img.height}, more elongated than 1:${limits.maxAspect}` });
    }
  }
  if (limits && f.bytes !== undefined && f.bytes > limits.maxBytes) {
    out.push({ code: 'image-file-too-large', severity: 'error', span: ref.span,
      message: `\`${ref.ref}\` is ${mb(f.bytes)}; ${model?.id ?? 'the model'} accepts images up to ${mb(limits.maxBytes)}` });
  }
  return out;
}

function checkAudio(ref: AssetRef, facts: ReadonlyMap<string, AssetFacts>, model: ModelSpec | undefined): Diagnostic[] {
  const input = model?.audio.input;
  return input && model ? checkAudioFile(ref, facts, input, model.id) : existence(ref, facts);
}

/** An audio file (driving audio, a reference voice): WAV or MP3 with a usable header, length and size within `limits`. */
export function checkAudioFile(ref: AssetRef, facts: ReadonlyMap<string, AssetFacts>, input: { readonly minSeconds: number; readonly maxSeconds: number; readonly maxBytes: number }, modelId: string): Diagnostic[] {
  const model = { id: modelId };
  const missing = existence(ref, facts);
  if (missing.length || ref.kind !== 'local' || !ref.relative) return missing;
  const f = facts.get(ref.relative);
  if (!f) return [];
  if (!f.audio || !AUDIO_FORMATS.includes(f.audio.format)) {
    return [{ code: 'audio-format-unsupported', severity: 'error', span: ref.span,
      message: `\`${ref.ref}\` is ${f.audio ? `${f.audio.format.toUpperCase()} audio` : 'not recognised as audio'}; ${model.id} accepts WAV or MP3`,
      hint: `Convert it, e.g. \`ffmpeg -i ${ref.ref} ${ref.ref.replace(/\.[^./]*$/, '')}.mp3\`.` }];
  }
  const header = headerCheck(ref, f);
  if (header.length) return header;
  const out: Diagnostic[] = [];
  const d = f.audio.durationSeconds;
  if (d !== undefined && (d < input.minSeconds - 0.05 || d > input.maxSeconds + 0.05)) {
    out.push({ code: 'audio-duration-out-of-range', severity: 'error', span: ref.span,
      message: `\`${ref.ref}\` lasts ${d.toFixed(1)} s; ${model.id} accepts audio from ${input.minSeconds} to ${input.maxSeconds} s` });
  }
  if (f.bytes !== undefined && f.bytes > input.maxBytes) {
    out.push({ code: 'audio-file-too-large', severity: 'error', span: ref.span,
      message: `\`${ref.ref}\` is ${mb(f.bytes)}; ${model.id} accepts audio up to ${mb(input.maxBytes)}` });
  }
  return out;
}
