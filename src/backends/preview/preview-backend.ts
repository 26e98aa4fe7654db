// The `preview` backend (DESIGN.md "Backends"): renders each clip locally with ffmpeg as an animatic of
// the exact duration, size and frame rate of the real request. Free, offline and deterministic: the same
// request and inputs give the same bytes with the same ffmpeg. The command itself is built in preview-args.ts.
// Stills (generated images) become PNG cards of their exact size (preview-still.ts), also in one ffmpeg run.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClipInput } from '../../compiler/plan/types.js';
import { probeMedia, runFfmpeg, videoStreamDuration } from '../../media/ffmpeg.js';
import { BackendError, type Backend, type BackendTiming, type RenderOutcome, type RenderRequest, type ResolvedInput, type StillOutcome, type StillRenderRequest } from '../backend.js';
import { buildPreviewCommand } from './preview-args.js';
import { PREVIEW_FPS } from './preview-cards.js';
import type { CarriedClip } from './preview-carry.js';
import { checkedDrift, driftSpec, type PreviewDrift } from './preview-drift.js';
import { buildStillCommand } from './preview-still.js';

/**
 * Version of what the preview renders: part of every clip's cache key, so bump it whenever the output
 * changes (graph, text, layout, encoder settings, fonts).
 */
export const PREVIEW_BACKEND_VERSION = 'preview-4';

/** Options of {@link createPreviewBackend}. */
export interface PreviewBackendOptions {
  /** How many clips render at once (default 2: each ffmpeg uses 2 encoder threads). */
  readonly concurrency?: number;
  /** Directory holding DejaVuSans.ttf and DejaVuSansMono.ttf (default: the bundled assets/fonts). */
  readonly fontsDir?: string;
  /**
   * Simulated drift (off by default): a clip starting from a first-frame image ends one hop of cast, gain and
   * blur away from it, so a chain drifts more with every hop. Part of the backend's version when on.
   */
  readonly drift?: PreviewDrift;
}

const FONT_FILES = { sans: 'DejaVuSans.ttf', mono: 'DejaVuSansMono.ttf' } as const;
/** assets/ relative to this module: from src/backends/preview/ (tsx, vitest), dist/src/backends/preview/, or the CLI bundle in dist/bundle/. */
const FONT_DIR_CANDIDATES = ['../../../assets/fonts/', '../../../../assets/fonts/', '../../assets/fonts/'] as const;

/** The bundled fonts directory; throws when the package lost its assets. */
export function bundledFontsDir(): string {
  const candidates = FONT_DIR_CANDIDATES.map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  const found = candidates.find((dir) => existsSync(join(dir, FONT_FILES.sans)) && existsSync(join(dir, FONT_FILES.mono)));
  if (found === undefined) {
    throw new Error(`The preview backend's fonts are missing: looked for ${FONT_FILES.sans} and ${FONT_FILES.mono} in ${candidates.join(', ')}`);
  }
  return found;
}

const PIXELS_720P = 1280 * 720;

/** Preview: 0.5 s + 0.15 s per second of video at 720p (scaled by pixel count), 2 clips at a time. */
export const PREVIEW_TIMING: BackendTiming = {
  latency: (job) => 0.5 + 0.15 * job.expected.duration * ((job.expected.width * job.expected.height) / PIXELS_720P),
  concurrency: () => 2,
  rps: () => Number.POSITIVE_INFINITY,
  overall: 2,
  assumption: 'each preview clip takes 0.5 s + 0.15 s per second of video at 720p (scaled by pixel count), 2 at a time; slower machines take longer',
};

/** The `preview` backend: local, free animatics. */
export function createPreviewBackend(options: PreviewBackendOptions = {}): Backend {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
  let fontsDir: string | undefined = options.fontsDir;
  const drift = checkedDrift(options.drift);
  return {
    name: 'preview',
    paid: false,
    // drifted clips never share cache keys with undrifted ones; without drift the version is unchanged
    version: drift ? `${PREVIEW_BACKEND_VERSION}+drift(${driftSpec(drift)})` : PREVIEW_BACKEND_VERSION,
    concurrency: () => concurrency,
    timing: PREVIEW_TIMING,
    render(request) {
      fontsDir ??= bundledFontsDir();
      return renderPreview(request, fontsDir, drift);
    },
    makeStill(request) {
      fontsDir ??= bundledFontsDir();
      return makePreviewStill(request, fontsDir);
    },
  };
}

/** Local files as absolute paths (ffmpeg cannot mistake those for options or protocols); URLs as they are. */
function absoluteInputs(inputs: RenderRequest['inputs']): Map<ClipInput['name'], ResolvedInput> {
  return new Map([...inputs].map(([name, input]) => [name, 'file' in input ? { ...input, file: resolve(input.file) } : input]));
}

/**
 * Runs one ffmpeg command whose text files go to a temp directory beside `outFile` (same filesystem, same
 * clean-up as the runner's temp files); a failed or aborted run leaves no partial output behind.
 */
async function runWithTextFiles<T>(
  outFile: string, build: (textDir: string) => { args: string[]; files: readonly { path: string; content: string }[] }, run: (args: string[]) => Promise<T>,
): Promise<T> {
  const textDir = await mkdtemp(join(dirname(outFile), '.preview-text-'));
  try {
    const command = build(textDir);
    await Promise.all(command.files.map((file) => writeFile(file.path, file.content, 'utf8')));
    return await run(command.args);
  } catch (error) {
    await rm(outFile, { force: true });
    throw error;
  } finally {
    await rm(textDir, { recursive: true, force: true });
  }
}

/** Reports progress as a fraction of the clip's duration; a throwing listener must not break the render. */
function progressReporter(request: RenderRequest): ((progress: { outTimeSeconds: number }) => void) | undefined {
  const listener = request.onProgress;
  if (!listener) return undefined;
  const duration = request.job.expected.duration;
  return ({ outTimeSeconds }) => {
    try {
      listener(Math.min(1, Math.max(0, outTimeSeconds / duration)));
    } catch {
      // Progress is informational only.
    }
  };
}

/**
 * The `first_clip` of a continued clip, probed (undefined without one, or for a URL the preview does not fetch). Its
 * frames must be the ones the plan carries: the film drops exactly `carry.frames` frames of this clip.
 */
async function carriedClip(request: RenderRequest, inputs: ReadonlyMap<ClipInput['name'], ResolvedInput>): Promise<CarriedClip | undefined> {
  const input = inputs.get('first_clip');
  if (!input || !('file' in input)) return undefined;
  const { job } = request;
  const info = await probeMedia(request.ffmpeg, input.file, { signal: request.signal });
  const video = info.streams.find((s) => s.codecType === 'video' && !s.attachedPic);
  const seconds = videoStreamDuration(info);
  if (!video || seconds === undefined) throw new BackendError(`clip \`${job.id}\`: its first_clip ${input.file} has no video stream of known length`, false, 'BadFirstClip');
  const frames = video.nbFrames ?? Math.round(seconds * PREVIEW_FPS);
  if (job.carry && job.carry.frames !== frames) {
    throw new BackendError(`clip \`${job.id}\`: its first_clip has ${frames} frames, the plan carries ${job.carry.frames} (${job.carry.seconds} s of ${job.carry.from})`, false, 'BadFirstClip');
  }
  return { file: input.file, frames, seconds, audio: info.streams.some((s) => s.codecType === 'audio') };
}

async function renderPreview(request: RenderRequest, fontsDir: string, drift: PreviewDrift | undefined): Promise<RenderOutcome> {
  request.signal.throwIfAborted();
  const outFile = resolve(request.outFile);
  const inputs = absoluteInputs(request.inputs);
  const carried = await carriedClip(request, inputs);
  const build = (textDir: string): ReturnType<typeof buildPreviewCommand> => buildPreviewCommand({
    job: request.job,
    key: request.key,
    inputs,
    fonts: { sans: join(fontsDir, FONT_FILES.sans), mono: join(fontsDir, FONT_FILES.mono) },
    textDir,
    outFile,
    ...(drift ? { drift } : {}),
    ...(carried ? { carried } : {}),
  });
  return runWithTextFiles(outFile, build, async (args) => {
    const onProgress = progressReporter(request);
    await runFfmpeg(request.ffmpeg, args, { signal: request.signal, onProgress });
    onProgress?.({ outTimeSeconds: request.job.expected.duration });
    return {};
  });
}

/** A still's card: one ffmpeg run writing the PNG. */
async function makePreviewStill(request: StillRenderRequest, fontsDir: string): Promise<StillOutcome> {
  request.signal.throwIfAborted();
  const outFile = resolve(request.outFile);
  const build = (textDir: string): ReturnType<typeof buildStillCommand> => buildStillCommand({
    job: request.job, key: request.key, inputs: absoluteInputs(request.inputs), font: join(fontsDir, FONT_FILES.sans), textDir, outFile,
  });
  return runWithTextFiles(outFile, build, async (args) => {
    await runFfmpeg(request.ffmpeg, args, { signal: request.signal });
    try {
      request.onProgress?.(1);
    } catch {
      // Progress is informational only.
    }
    return {};
  });
}
