// The one module that spawns ffmpeg/ffprobe: argument arrays straight to spawn(), never a shell,
// so file names and filter graphs need no shell escaping. Recipes: shared/reference/ffmpeg-notes.md.
import { spawn } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { FfmpegTools } from './tools.js';
import { commitFile, tempPathFor } from '../io/atomic-write.js';

/** ffmpeg can print megabytes of warnings; the end of stderr is what explains a failure. */
const STDERR_TAIL_BYTES = 64 * 1024;
/** Grace period between SIGTERM (lets ffmpeg close its files) and SIGKILL. */
const KILL_GRACE_MS = 2000;

/**
 * What ffmpeg and ffprobe may see of the environment: finding programs and libraries (PATH, the library path),
 * home and temp folders, locale (subtitle text), fontconfig and the XDG folders it reads (burned subtitles), the
 * proxy and CA settings of an http(s) music URL, ffmpeg's own logging switches, and Windows' system folders.
 */
const CHILD_ENV = /^(PATH|PATHEXT|HOME|USER|LOGNAME|TMPDIR|TMP|TEMP|TZ|LANG|LANGUAGE|LC_[A-Z_]+|FONTCONFIG_[A-Z_]+|FC_[A-Z_]+|XDG_(CACHE|CONFIG|DATA|RUNTIME)_(HOME|DIRS|DIR)|LD_LIBRARY_PATH|DYLD_LIBRARY_PATH|DYLD_FALLBACK_LIBRARY_PATH|(HTTPS?|NO|ALL)_PROXY|(https?|no|all)_proxy|SSL_CERT_(FILE|DIR)|AV_LOG_FORCE_[A-Z0-9_]+|FFREPORT|SYSTEMROOT|WINDIR|COMSPEC|SYSTEMDRIVE|USERPROFILE|APPDATA|LOCALAPPDATA|PROGRAMDATA|NUMBER_OF_PROCESSORS)$/;

/**
 * The environment a spawned ffmpeg/ffprobe gets: only the variables it needs ({@link CHILD_ENV}), never the API
 * key or any other secret of the parent (`DASHSCOPE_API_KEY`, tokens, `NODE_OPTIONS`, `LD_PRELOAD`).
 */
export function childEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  // Windows spells its variables in any case (`SystemRoot`, `Path`): compare in upper case there
  const windows = process.platform === 'win32';
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && CHILD_ENV.test(windows ? name.toUpperCase() : name)) out[name] = value;
  }
  return out;
}

/** Why a spawned ffmpeg/ffprobe did not succeed. */
type FfmpegFailure = 'exit' | 'abort' | 'timeout' | 'spawn';

/** A failed ffmpeg/ffprobe run, with the arguments, exit code and the last ~64 KB of stderr. */
export class FfmpegError extends Error {
  override readonly name = 'FfmpegError';
  constructor(
    message: string,
    readonly binary: string,
    readonly args: readonly string[],
    readonly reason: FfmpegFailure,
    readonly exitCode: number | null,
    readonly stderrTail: string,
  ) {
    super(message);
  }
}

/** Progress reported by ffmpeg's `-progress` output. */
interface FfmpegProgress {
  readonly outTimeSeconds: number;
}

/** What a successful run printed (stdout in full up to a cap, stderr's tail). */
interface FfmpegOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** What a stream carries, from ffprobe's `codec_type`. */
type StreamKind = 'video' | 'audio' | 'subtitle' | 'data' | 'attachment' | 'unknown';

/** One stream as probed; fields ffprobe leaves out or reports as N/A are undefined. */
interface MediaStream {
  readonly index: number;
  readonly codecType: StreamKind;
  readonly codecName?: string;
  readonly profile?: string;
  /** `SHA256:<hex>` of the codec's extradata (SPS/PPS for H.264): stream copies can only be joined when these agree. */
  readonly extradataHash?: string;
  readonly width?: number;
  readonly height?: number;
  readonly pixFmt?: string;
  readonly frameRate?: number; // r_frame_rate as a number: 30000/1001 → 29.97…
  readonly duration?: number; // seconds, from `duration` or else the Matroska `DURATION` tag
  readonly nbFrames?: number;
  readonly sampleRate?: number;
  readonly channels?: number;
  readonly sampleAspectRatio?: number;
  readonly attachedPic: boolean; // cover art shows up as a video stream, but it is not the video
}

/** A probed media file: container duration (seconds) and its streams. */
export interface MediaInfo {
  readonly file: string;
  readonly formatName?: string;
  readonly duration?: number;
  readonly streams: readonly MediaStream[];
}

/** Options for {@link spawnTool}. */
interface SpawnToolOptions {
  signal?: AbortSignal;
  cwd?: string;
  timeoutMs?: number;
  /** When set, stdout is handed over line by line instead of being collected. */
  onStdoutLine?: (line: string) => void;
  /** When set, stdout's raw bytes are handed over as they arrive (decoded frames, samples) instead of being collected. */
  onStdoutData?: (chunk: Buffer) => void;
  /** Called once with the child's pid right after it started (e.g. to sample its memory); must not throw. */
  onSpawn?: (pid: number) => void;
}

/** Options for {@link runFfmpeg}. */
interface RunFfmpegOptions {
  signal?: AbortSignal;
  /** Adds `-progress pipe:1 -nostats` (so the command must not write to stdout itself); must not throw. */
  onProgress?: (progress: FfmpegProgress) => void;
  cwd?: string;
  /** Called once with ffmpeg's pid right after it started (benchmarks sample its memory); must not throw. */
  onSpawn?: (pid: number) => void;
  /** Raw stdout as it arrives (a command that writes `-f rawvideo -`); must not throw. */
  onStdoutData?: (chunk: Buffer) => void;
}

/** Options for {@link probeMedia}. */
interface ProbeMediaOptions {
  signal?: AbortSignal;
}

/** Options for {@link extractLastFrame}. */
type ExtractLastFrameOptions = ProbeMediaOptions;

/** Keeps the last `limit` bytes of a stream without holding everything in memory. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    // Compact only when well over the limit, so pushing stays amortised O(1).
    if (this.size > 2 * this.limit) this.chunks = [this.joined()];
  }

  joined(): Buffer {
    const all = Buffer.concat(this.chunks);
    const tail = all.length > this.limit ? all.subarray(all.length - this.limit) : all;
    this.size = tail.length;
    return tail;
  }

  text(): string {
    return this.joined().toString('utf8');
  }
}

/** Feeds complete lines to `onLine`; a chunk may end mid-line. */
function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; flush(): void } {
  let partial = '';
  return {
    push(chunk) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line.trimEnd());
    },
    flush() {
      if (partial) onLine(partial.trimEnd());
      partial = '';
    },
  };
}

/** The message leads with what happened and ends with stderr's last lines, where ffmpeg says why. */
function ffmpegError(binary: string, args: readonly string[], reason: FfmpegFailure, what: string, exitCode: number | null, tail: string) {
  const lastLines = tail.trimEnd().split('\n').slice(-3).join('\n');
  const message = `${basename(binary)} ${what}${lastLines ? `:\n${lastLines}` : ''}`;
  return new FfmpegError(message, binary, args, reason, exitCode, tail);
}

/** Spawns an ffmpeg-family binary (no shell) and resolves with its output; rejects with {@link FfmpegError}. */
export function spawnTool(binary: string, args: readonly string[], options: SpawnToolOptions = {}): Promise<FfmpegOutput> {
  return new Promise((resolvePromise, reject) => {
    const stderr = new TailBuffer(STDERR_TAIL_BYTES);
    const stdout = new TailBuffer(64 * 1024 * 1024);
    const fail = (reason: FfmpegFailure, what: string, exitCode: number | null): void =>
      reject(ffmpegError(binary, args, reason, what, exitCode, stderr.text()));
    if (options.signal?.aborted) {
      fail('abort', 'was aborted before it started', null);
      return;
    }
    const child = spawn(binary, [...args], { cwd: options.cwd, env: childEnvironment(process.env), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const lines = options.onStdoutLine ? lineSplitter(options.onStdoutLine) : undefined;
    const onData = options.onStdoutData;
    child.stdout.on('data', (chunk: Buffer) => (onData ? onData(chunk) : lines ? lines.push(chunk) : stdout.push(chunk)));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let stopped: 'abort' | 'timeout' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: 'abort' | 'timeout'): void => {
      stopped ??= why;
      child.kill('SIGTERM');
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = (): void => stop('abort');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
    const cleanup = (): void => {
      options.signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
      clearTimeout(killTimer);
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      // Only a failed spawn matters here; a failed kill() also lands here and is harmless.
      if (child.pid !== undefined) return;
      cleanup();
      fail('spawn', `could not be started (${error.code ?? error.message})`, null);
    });
    child.on('close', (code, signal) => {
      if (child.pid === undefined) return;
      cleanup();
      lines?.flush();
      if (stopped === 'abort') return fail('abort', 'was aborted', code);
      if (stopped === 'timeout') return fail('timeout', `timed out after ${options.timeoutMs} ms`, code);
      if (code !== 0) return fail('exit', code === null ? `was killed by ${signal}` : `exited with code ${code}`, code);
      resolvePromise({ stdout: stdout.text(), stderr: stderr.text() });
    });
  });
}

/** Turns `-progress` key=value lines into progress callbacks, one per reported block. */
function progressParser(onProgress: (progress: FfmpegProgress) => void): (line: string) => void {
  let outTimeUs: number | undefined;
  return (line) => {
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    // out_time_ms is also in microseconds (a long-standing ffmpeg quirk), so both keys read the same.
    if (key === 'out_time_us' || key === 'out_time_ms') {
      // Before the first frame ffmpeg prints "N/A", which Number() turns into NaN.
      if (Number.isFinite(Number(value)) && value !== '') outTimeUs = Number(value);
    } else if (key === 'progress' && outTimeUs !== undefined) {
      onProgress({ outTimeSeconds: Math.max(0, outTimeUs / 1e6) });
    }
  };
}

/** Runs ffmpeg with `-hide_banner -nostdin -y` plus `args`; rejects with {@link FfmpegError} on failure or abort. */
export function runFfmpeg(tools: FfmpegTools, args: readonly string[], options: RunFfmpegOptions = {}): Promise<FfmpegOutput> {
  const progressArgs = options.onProgress ? ['-progress', 'pipe:1', '-nostats'] : [];
  return spawnTool(tools.ffmpeg.path, ['-hide_banner', '-nostdin', '-y', ...progressArgs, ...args], {
    signal: options.signal,
    cwd: options.cwd,
    onStdoutLine: options.onProgress ? progressParser(options.onProgress) : undefined,
    onStdoutData: options.onStdoutData,
    onSpawn: options.onSpawn,
  });
}

type Json = Record<string, unknown>;
const STREAM_KINDS: readonly string[] = ['video', 'audio', 'subtitle', 'data', 'attachment'];

const asObject = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const asString = (value: unknown): string | undefined => (typeof value === 'string' && value !== 'N/A' ? value : undefined);

/** ffprobe's JSON prints most numbers as strings and unknowns as "N/A" or "0/0". */
function asNumber(value: unknown): number | undefined {
  const parsed = typeof value === 'number' ? value : Number(asString(value) || Number.NaN);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** "30000/1001" or "1:1" → a number; "0/0" and "0:1" (unknown) → undefined. */
function asRatio(value: unknown): number | undefined {
  const [num, den] = (asString(value) ?? '').split(/[/:]/).map(Number);
  return num !== undefined && den !== undefined && num > 0 && den > 0 ? num / den : undefined;
}

/** Matroska keeps stream durations in a `DURATION` tag such as "00:00:05.000000000". */
function tagDuration(tags: Json): number | undefined {
  const match = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(asString(tags.DURATION) ?? '');
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : undefined;
}

function parseStream(raw: Json, position: number): MediaStream {
  const kind = asString(raw.codec_type) ?? 'unknown';
  return {
    index: asNumber(raw.index) ?? position,
    codecType: (STREAM_KINDS.includes(kind) ? kind : 'unknown') as StreamKind,
    codecName: asString(raw.codec_name),
    profile: asString(raw.profile),
    extradataHash: asString(raw.extradata_hash),
    width: asNumber(raw.width),
    height: asNumber(raw.height),
    pixFmt: asString(raw.pix_fmt),
    frameRate: asRatio(raw.r_frame_rate),
    duration: asNumber(raw.duration) ?? tagDuration(asObject(raw.tags)),
    nbFrames: asNumber(raw.nb_frames),
    sampleRate: asNumber(raw.sample_rate),
    channels: asNumber(raw.channels),
    sampleAspectRatio: asRatio(raw.sample_aspect_ratio),
    attachedPic: asObject(raw.disposition).attached_pic === 1,
  };
}

/** Parses `ffprobe -of json -show_format -show_streams` output. */
function parseProbeJson(file: string, json: string): MediaInfo {
  const root = asObject(JSON.parse(json));
  const format = asObject(root.format);
  const streams = Array.isArray(root.streams) ? root.streams : [];
  return {
    file,
    formatName: asString(format.format_name),
    duration: asNumber(format.duration),
    streams: streams.map((stream, position) => parseStream(asObject(stream), position)),
  };
}

/**
 * Duration in seconds of the first real video stream (not cover art), which can be shorter than
 * the container's when audio runs on; undefined when there is no video or it cannot be told.
 */
export function videoStreamDuration(info: MediaInfo): number | undefined {
  const video = info.streams.find((s) => s.codecType === 'video' && !s.attachedPic);
  if (!video) return undefined;
  if (video.duration !== undefined) return video.duration;
  if (video.nbFrames !== undefined && video.frameRate !== undefined) return video.nbFrames / video.frameRate;
  // The container's duration is only the video's when nothing else could stretch it.
  return info.streams.length === 1 ? info.duration : undefined;
}

/** Probes a media file with `ffprobe -of json -show_format -show_streams` into a small typed structure. */
export async function probeMedia(tools: FfmpegTools, file: string, options: ProbeMediaOptions = {}): Promise<MediaInfo> {
  // An absolute path can neither be taken for an option (leading '-') nor for a protocol ('x:').
  const absolute = resolve(file);
  // -show_data_hash only adds extradata_hash to each stream (packets are not shown, so not hashed)
  const args = ['-v', 'error', '-of', 'json', '-show_format', '-show_streams', '-show_data_hash', 'sha256', absolute];
  const { stdout } = await spawnTool(tools.ffprobe.path, args, { signal: options.signal });
  return parseProbeJson(absolute, stdout);
}

/**
 * Writes the exact last video frame of `video` to `pngOut` (atomically), seeking relative to the
 * video stream's duration and decoding only the last half second in reverse (ffmpeg-notes §2).
 */
export async function extractLastFrame(
  tools: FfmpegTools,
  video: string,
  pngOut: string,
  options: ExtractLastFrameOptions = {},
): Promise<void> {
  const info = await probeMedia(tools, video, options);
  const duration = videoStreamDuration(info);
  if (duration === undefined) {
    throw new Error(`Cannot extract the last frame of ${video}: it has no video stream with a known duration`);
  }
  // Not -sseof: that is relative to the container, which is longer than the video when audio runs on.
  const seek = Math.max(0, duration - 0.5).toFixed(6);
  const target = resolve(pngOut);
  const temp = tempPathFor(target) + '.png';
  try {
    // accurate rounding and full chroma interpolation: swscale's fast yuv420p → RGB path darkens about 1 level a
    // hop, which compounds along a chain (six 4:2:0 round trips: 6 levels of red lost; with these, under 0.2)
    const args = ['-ss', seek, '-i', info.file, '-map', '0:v:0', '-vf', 'reverse', '-sws_flags', 'accurate_rnd+full_chroma_int', '-frames:v', '1', '-c:v', 'png', temp];
    const { stderr } = await runFfmpeg(tools, args, { signal: options.signal });
    // ffmpeg exits 0 even when it encoded nothing, so the file itself is the only proof.
    const size = await stat(temp).then((s) => s.size, () => 0);
    if (size === 0) {
      const detail = stderr.trimEnd().split('\n').slice(-3).join('\n');
      throw new Error(`ffmpeg wrote no frame when extracting the last frame of ${video} (seek ${seek} s)${detail ? `:\n${detail}` : ''}`);
    }
    await commitFile(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}
