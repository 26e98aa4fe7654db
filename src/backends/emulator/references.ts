// Reference-to-video requests (wan2.7-r2v `input.media`, wan2.6-r2v `input.reference_urls`): which references were
// sent and how the prompt names them, whether they keep the model's ReferenceRules (counts, one first frame, the
// duration with a reference video, voices, image sides, video and voice lengths), and the billed input seconds.
import { parseImageHeader } from '../../assets/image-header.js';
import type { ModelSpec, ReferenceRules } from '../../compiler/models/types.js';
import { fetchMedia, type MediaSource } from './input-urls.js';
import type { EmulatedReference } from './types.js';

type Obj = Readonly<Record<string, unknown>>;
type Kind = 'image' | 'video';

/** A reference as sent: where in the body, its URL, its kind when the field says so, its voice URL. */
interface SentReference {
  readonly where: string;
  readonly url: string;
  readonly kind?: Kind;
  readonly voice?: string;
}

/** A reference with what could be read of it. */
interface ReadReference extends SentReference {
  readonly kind: Kind;
  readonly bytes?: Buffer;
  readonly voiceBytes?: Buffer;
}

/** What the create route learns about a request's references. */
export interface ReferenceFacts {
  readonly references: EmulatedReference[];
  /** Input video seconds billed (reference videos, capped by the rules; an unreadable length counts as the cap). */
  readonly inputVideoSeconds: number;
  /** The first rule the request breaks: the message of the task's InvalidParameter failure. */
  readonly problem?: string;
}

/** What {@link analyzeReferences} needs besides the body. */
export interface ReferenceOptions {
  readonly source: MediaSource;
  /** Seconds of a video or audio file, undefined when it cannot be read (ffprobe). */
  readonly probe: (bytes: Buffer, kind: 'video' | 'audio') => Promise<number | undefined>;
  /** The output duration the task will have. */
  readonly duration: number;
}

const MEDIA_TYPES = ['reference_image', 'reference_video', 'first_frame'] as const;
const VIDEO_EXTENSIONS = /\.(mp4|mov|m4v|webm|mkv|avi)$/i;
const MB = 1024 * 1024;

/** The references of a request for a reference-to-video model, checked against its rules. */
export async function analyzeReferences(model: ModelSpec, rules: ReferenceRules, input: Obj, options: ReferenceOptions): Promise<ReferenceFacts> {
  const listed = rules.field === 'media' ? listMedia(input) : listUrls(input);
  const read: ReadReference[] = [];
  for (const ref of listed.references) read.push(await readReference(ref, options.source));
  const seconds = new Map<ReadReference, number | undefined>();
  for (const ref of read) if (ref.kind === 'video' && ref.bytes) seconds.set(ref, await options.probe(ref.bytes, 'video'));
  const problem = listed.problem ?? countProblem(model, rules, read, options.duration) ?? (await mediaProblem(rules, read, seconds, options));
  const cap = rules.billedInputVideoCap ?? 0;
  const videoSeconds = read.filter((r) => r.kind === 'video').reduce((sum, r) => sum + (seconds.get(r) ?? cap), 0);
  return { references: labelled(rules, read), inputVideoSeconds: Math.round(Math.min(cap, videoSeconds) * 1000) / 1000, ...(problem ? { problem } : {}) };
}

/** wan2.7: `input.media` items typed reference_image / reference_video (each may carry reference_voice), at most one first_frame. */
function listMedia(input: Obj): { references: SentReference[]; problem?: string } {
  if (!Array.isArray(input.media)) return { references: [], problem: 'Field required: input.media' };
  const references: SentReference[] = [];
  let firstFrames = 0;
  let problem: string | undefined;
  (input.media as unknown[]).forEach((item, i) => {
    const m = (typeof item === 'object' && item !== null ? item : {}) as Obj;
    const where = `input.media[${i}]`;
    if (!MEDIA_TYPES.includes(m.type as (typeof MEDIA_TYPES)[number])) {
      problem ??= `${where}.type must be one of ${MEDIA_TYPES.join(', ')}, got ${JSON.stringify(m.type ?? null)}`;
    } else if (typeof m.url !== 'string' || m.url === '') {
      problem ??= `Field required: ${where}.url`;
    } else if (m.type === 'first_frame') {
      firstFrames++;
    } else {
      const voice = typeof m.reference_voice === 'string' ? { voice: m.reference_voice } : {};
      references.push({ where: `${where} (${String(m.type)})`, url: m.url, kind: m.type === 'reference_image' ? 'image' : 'video', ...voice });
    }
  });
  if (firstFrames > 1) problem ??= `input.media takes at most one first_frame, got ${firstFrames}`;
  if (!problem && references.length === 0) problem = 'At least one reference is required: input.media has no reference_image or reference_video';
  return problem ? { references, problem } : { references };
}

/** wan2.6: `input.reference_urls` (images and videos, told apart by their bytes or file name) and the deprecated `reference_video_urls`. */
function listUrls(input: Obj): { references: SentReference[]; problem?: string } {
  const references: SentReference[] = [];
  for (const field of ['reference_urls', 'reference_video_urls'] as const) {
    const list = input[field];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((u) => typeof u === 'string' && u !== '')) {
      return { references, problem: `input.${field} must be a list of URLs` };
    }
    (list as string[]).forEach((url, i) => references.push({ where: `input.${field}[${i}]`, url, ...(field === 'reference_video_urls' ? { kind: 'video' as const } : {}) }));
  }
  return references.length > 0 ? { references } : { references, problem: 'Field required: input.reference_urls' };
}

async function readReference(ref: SentReference, source: MediaSource): Promise<ReadReference> {
  const bytes = await fetchMedia(ref.url, source);
  const voiceBytes = ref.voice ? await fetchMedia(ref.voice, source) : undefined;
  const kind = ref.kind ?? (bytes ? sniffKind(bytes) : undefined) ?? kindOfUrl(ref.url);
  return { ...ref, kind, ...(bytes ? { bytes } : {}), ...(voiceBytes ? { voiceBytes } : {}) };
}

/** Image or video by content: an image header, or an MP4/QuickTime box. */
function sniffKind(bytes: Buffer): Kind | undefined {
  if (parseImageHeader(bytes)) return 'image';
  return ['ftyp', 'moov', 'mdat', 'wide', 'free'].includes(bytes.subarray(4, 8).toString('latin1')) ? 'video' : undefined;
}

function kindOfUrl(url: string): Kind {
  if (url.startsWith('data:')) return 'image';
  const path = /^[a-z]+:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] ?? url;
  return VIDEO_EXTENSIONS.test(path) ? 'video' : 'image';
}

/** Counts per kind and in all, voices, and the duration limit with a reference video. */
function countProblem(model: ModelSpec, rules: ReferenceRules, refs: readonly ReadReference[], duration: number): string | undefined {
  const images = refs.filter((r) => r.kind === 'image').length;
  const videos = refs.length - images;
  if (images > rules.maxImages) return `Too many reference images: ${model.id} takes at most ${rules.maxImages}, got ${images}`;
  if (videos > rules.maxVideos) return `Too many reference videos: ${model.id} takes at most ${rules.maxVideos}, got ${videos}`;
  if (refs.length > rules.maxTotal) return `Too many references: ${model.id} takes at most ${rules.maxTotal} images and videos in all, got ${refs.length}`;
  const voiced = refs.find((r) => r.voice !== undefined);
  if (voiced && !rules.voice) return `${model.id} does not take reference_voice (${voiced.where})`;
  if (videos > 0 && rules.maxDurationWithVideo !== undefined && duration > rules.maxDurationWithVideo) {
    return `The duration must be at most ${rules.maxDurationWithVideo} s when a reference video is sent, got ${duration}`;
  }
  return undefined;
}

/** Limits of the references the emulator could read: image sides and size, video and voice lengths and sizes. */
async function mediaProblem(rules: ReferenceRules, refs: readonly ReadReference[], seconds: ReadonlyMap<ReadReference, number | undefined>, options: ReferenceOptions): Promise<string | undefined> {
  for (const ref of refs) {
    const limits = ref.kind === 'image' ? rules.image : rules.video;
    if (ref.bytes && ref.bytes.length > limits.maxBytes) return `${ref.where} is ${(ref.bytes.length / MB).toFixed(1)} MB: at most ${limits.maxBytes / MB} MB`;
    if (ref.kind === 'image' && ref.bytes) {
      const header = parseImageHeader(ref.bytes);
      const [w, h] = [header?.width, header?.height];
      if (w === undefined || h === undefined) return `${ref.where} is not a readable image`;
      if (Math.min(w, h) < rules.image.minSide || Math.max(w, h) > rules.image.maxSide) {
        return `${ref.where} is ${w}×${h} pixels: each side must be from ${rules.image.minSide} to ${rules.image.maxSide}`;
      }
    }
    if (ref.kind === 'video' && ref.bytes) {
      const s = seconds.get(ref);
      if (s === undefined) return `${ref.where} is not a readable video`;
      if (s < rules.video.minSeconds || s > rules.video.maxSeconds) return `${ref.where} lasts ${s} s: it must last from ${rules.video.minSeconds} to ${rules.video.maxSeconds} s`;
    }
    if (rules.voice && ref.voiceBytes) {
      const s = await options.probe(ref.voiceBytes, 'audio');
      if (s === undefined) return `The reference_voice of ${ref.where} is not readable audio`;
      if (s < rules.voice.minSeconds || s > rules.voice.maxSeconds) return `The reference_voice of ${ref.where} lasts ${s} s: it must last from ${rules.voice.minSeconds} to ${rules.voice.maxSeconds} s`;
    }
  }
  return undefined;
}

/** `Image 1`, `Video 1` numbered per type (wan2.7), or `character1`, `character2` in order (wan2.6). */
function labelled(rules: ReferenceRules, refs: readonly ReadReference[]): EmulatedReference[] {
  const counts: Record<Kind, number> = { image: 0, video: 0 };
  return refs.map((ref, i) => {
    const n = ++counts[ref.kind];
    const label = rules.labels === 'character' ? `character${i + 1}` : `${ref.kind === 'image' ? 'Image' : 'Video'} ${n}`;
    return { label, kind: ref.kind, url: ref.url, voice: ref.voice !== undefined, ...(ref.bytes ? { bytes: ref.bytes } : {}) };
  });
}
