// Checks every URL a create request points at: http(s) as is, `data:image/…;base64,` inline images,
// and `oss://` temporary uploads (only with `X-DashScope-OssResourceResolve: enable`, and only objects
// uploaded to this emulator for the same model and not yet expired). Reads the bytes behind the URLs it
// can: uploads, data URIs and the emulator's own result files (a still made here, sent back as an input).
import type { JobMediaName } from './types.js';
import type { UploadStore } from './upload-store.js';

type Obj = Readonly<Record<string, unknown>>;

/** Input fields holding one URL (reference §5.2, the fields the SDK scans). */
const URL_FIELDS = ['img_url', 'audio_url', 'first_frame_url', 'last_frame_url', 'head_frame', 'tail_frame', 'reference_url'] as const;
/** Input fields holding a list of URLs. */
const URL_LIST_FIELDS = ['reference_urls', 'reference_video_urls'] as const;

/** The message DashScope gives for an unresolvable URL (reference §1.3). */
const INVALID_URL = 'The provided URL does not appear to be valid';

/** Every string URL in the input, in field order. */
function inputUrls(input: Obj): string[] {
  const urls: unknown[] = URL_FIELDS.map((f) => input[f]);
  for (const f of URL_LIST_FIELDS) if (Array.isArray(input[f])) urls.push(...(input[f] as unknown[]));
  if (Array.isArray(input.media)) {
    for (const m of input.media as unknown[]) if (typeof m === 'object' && m !== null) urls.push((m as Obj).url, (m as Obj).reference_voice);
  }
  return urls.filter((u): u is string => typeof u === 'string');
}

/** Options of {@link checkInputUrls}. */
interface CheckUrlsOptions {
  readonly ossResolve: boolean;
  readonly uploads: UploadStore;
  readonly model: string;
  readonly nowMs: number;
}

/** The first URL problem of a request's `input`, as a 400 InvalidParameter message; undefined when every URL is acceptable. */
export function checkInputUrls(input: Obj, options: CheckUrlsOptions): string | undefined {
  return checkUrls(inputUrls(input), options);
}

/** The first problem among these URLs, as a 400 InvalidParameter message; undefined when every URL is acceptable. */
export function checkUrls(urls: readonly string[], options: CheckUrlsOptions): string | undefined {
  for (const url of urls) {
    if (/^https?:\/\/[^\s/]+/i.test(url)) continue;
    if (url.startsWith('data:')) {
      if (/^data:image\/[\w.+-]+;base64,[A-Za-z0-9+/=\s]*$/.test(url)) continue;
      return `${INVALID_URL}: only base64 image data URIs are accepted`;
    }
    if (!url.startsWith('oss://')) return `${INVALID_URL}: ${url.slice(0, 200)}`;
    if (!options.ossResolve) return INVALID_URL;
    if (!options.uploads.resolve(url, options.model, options.nowMs)) {
      return `${INVALID_URL}: ${url.slice(0, 200)} is not an unexpired upload for ${options.model}`;
    }
  }
  return undefined;
}

/** The first-frame, last-frame, audio and first-clip URLs of a request, whichever field style its model uses. */
function mediaUrls(input: Obj): Partial<Record<JobMediaName, string>> {
  const media = Array.isArray(input.media) ? (input.media as Obj[]) : [];
  const of = (type: string): unknown => media.find((m) => typeof m === 'object' && m !== null && m.type === type)?.url;
  const pick = (...vs: unknown[]): string | undefined => vs.find((v): v is string => typeof v === 'string');
  const out: Partial<Record<JobMediaName, string>> = {};
  const first = pick(of('first_frame'), input.img_url, input.first_frame_url);
  const clip = pick(of('first_clip'));
  const last = pick(of('last_frame'), input.last_frame_url);
  const audio = pick(of('driving_audio'), input.audio_url);
  if (first) out.first_frame = first;
  if (last) out.last_frame = last;
  if (audio) out.audio = audio;
  if (clip) out.first_clip = clip;
  return out;
}

/** Where the bytes behind a URL can come from. */
export interface MediaSource {
  readonly uploads: UploadStore;
  readonly model: string;
  readonly nowMs: number;
  /** The bytes of one of the emulator's own signed result URLs (undefined for any other URL, or a bad or expired one). */
  readonly readOwn: (url: string) => Promise<Buffer | undefined>;
}

/** The bytes behind a URL: an uploaded `oss://` object, a `data:` URI or an own result file; other URLs are not fetched. */
export async function fetchMedia(url: string, source: MediaSource): Promise<Buffer | undefined> {
  if (url.startsWith('oss://')) return source.uploads.resolve(url, source.model, source.nowMs)?.bytes;
  if (url.startsWith('data:')) return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
  return /^https?:\/\//i.test(url) ? source.readOwn(url) : undefined;
}

/** The bytes behind a request's frames, audio and first clip, where the emulator can read them ({@link fetchMedia}). */
export async function inputMedia(input: Obj, source: MediaSource): Promise<Partial<Record<JobMediaName, Buffer>>> {
  const out: Partial<Record<JobMediaName, Buffer>> = {};
  for (const [name, url] of Object.entries(mediaUrls(input)) as [JobMediaName, string][]) {
    const bytes = await fetchMedia(url, source);
    if (bytes) out[name] = bytes;
  }
  return out;
}
