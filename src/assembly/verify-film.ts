// Verifies an assembled film against its manifest by decoding it: every frame's code (which clip, which
// frame), transitions where the timeline puts them, frame count and timestamps, the sound track's continuity
// and length, and the similarity across each seam. Clips without codes (real footage) are checked by count,
// timestamps and seam similarity. Run at the end of every render and by `storyboard verify`.
import { fitMapping, mappedPatches, readContrasts, type MappedPatch } from '../media/frame-code.js';
import { ssimLuma } from '../media/ssim.js';
import { checkFrames, type PatchReading } from './check-frames.js';
import { expectedFrames, type FilmManifest, type FilmVerification, type SeamMeasure, type VerifyProblem } from './film-manifest.js';
import { probeMedia, runFfmpeg, spawnTool } from '../media/ffmpeg.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';

/** What verification finds (declared in film-manifest.ts, which stores it). */
export type { FilmVerification, SeamMeasure, VerifyProblem } from './film-manifest.js';

/** Options of {@link verifyFilm}. */
export interface VerifyFilmOptions {
  readonly signal?: AbortSignal;
}

/** A continuity seam below this SSIM is not a continuation (a different picture after the seam). */
const SEAM_MIN_SSIM = 0.5;
/** Timestamps may stray this much from the frame grid (mp4 time bases round). */
const TIME_SLACK = 0.002;

type Run = { readonly signal?: AbortSignal };

async function packetTimes(tools: FfmpegTools, film: string, stream: 'v:0' | 'a:0', o: Run): Promise<{ pts: number; duration: number }[]> {
  const { stdout } = await spawnTool(tools.ffprobe.path, ['-v', 'error', '-select_streams', stream, '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', film], o.signal ? { signal: o.signal } : {});
  return stdout.split('\n').filter((l) => l.trim()).map((l) => {
    const [pts, duration] = l.split(',').map(Number);
    return { pts: pts ?? Number.NaN, duration: duration ?? Number.NaN };
  }).filter((p) => Number.isFinite(p.pts)).sort((a, b) => a.pts - b.pts);
}

/** Video timestamps on the frame grid, one packet per frame, no gap or duplicate. */
function timestampProblems(pts: readonly number[], fps: number): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  for (let i = 1; i < pts.length && problems.length < 20; i++) {
    const [a = 0, b = 0] = [pts[i - 1], pts[i]];
    const step = b - a;
    if (Math.abs(step - 1 / fps) > TIME_SLACK) {
      const what = step > 1 / fps ? `jump from ${a.toFixed(3)} to ${b.toFixed(3)} s (a ${(step - 1 / fps).toFixed(3)} s frozen picture in players)` : `repeat or go back at ${b.toFixed(3)} s`;
      problems.push({ kind: 'timestamps', message: `video timestamps ${what}` });
    }
  }
  return problems;
}

/** Sound: present when expected, contiguous packets, as long as the video within one frame. */
function audioProblems(packets: readonly { pts: number; duration: number }[], expected: boolean, videoSeconds: number, fps: number): { problems: VerifyProblem[]; seconds?: number } {
  if (!expected) return { problems: packets.length ? [{ kind: 'audio', message: 'the film has a sound track its timeline does not expect' }] : [] };
  if (packets.length === 0) return { problems: [{ kind: 'audio', message: 'the film has no sound track' }] };
  const problems: VerifyProblem[] = [];
  for (let i = 1; i < packets.length && problems.length < 20; i++) {
    const [a, b] = [packets[i - 1], packets[i]];
    if (a && b && Math.abs(a.pts + a.duration - b.pts) > TIME_SLACK) problems.push({ kind: 'audio', message: `sound track gap or overlap at ${a.pts.toFixed(3)} s (${((b.pts - a.pts - a.duration) * 1000).toFixed(1)} ms)` });
  }
  const last = packets[packets.length - 1];
  const first = packets[0];
  const seconds = last && first ? last.pts + last.duration - Math.max(0, first.pts) : 0;
  if (Math.abs(seconds - videoSeconds) > 1 / fps + TIME_SLACK) problems.push({ kind: 'audio', message: `sound lasts ${seconds.toFixed(3)} s, the picture ${videoSeconds.toFixed(3)} s` });
  return { problems, seconds };
}

/** Film frames either side of each join: the last before it and the first after any overlap. */
function seamPairs(manifest: FilmManifest): { join: number; before: number; after: number }[] {
  return manifest.joins.map((j) => {
    const next = manifest.clips[j.index + 1];
    const start = next?.start ?? 0;
    return { join: j.index, before: start - 1, after: start + j.frames };
  });
}

/** Decodes the film's luma, reading every clip's code patches where the timeline expects them. */
async function readFilm(tools: FfmpegTools, film: string, manifest: FilmManifest, patches: readonly MappedPatch[][], o: Run) {
  const { width, height } = manifest;
  const size = width * height;
  const expected = expectedFrames(manifest);
  const pairs = seamPairs(manifest);
  const keep = new Set(pairs.flatMap((p) => [p.before, p.after]));
  const kept = new Map<number, Uint8Array>();
  const readings: PatchReading[][] = [];
  const frame = Buffer.alloc(size);
  let filled = 0;
  const onFrame = (): void => {
    const t = readings.length;
    const e = expected[Math.min(t, expected.length - 1)];
    const clips = !e ? [] : e.kind === 'clip' ? [e.clip] : [e.from, e.to];
    readings.push(clips.map((clip) => ({ clip, contrasts: (patches[clip] ?? []).map((p) => readContrasts(frame, width, p)) })));
    if (keep.has(t)) kept.set(t, Uint8Array.from(frame));
  };
  const onData = (chunk: Buffer): void => {
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(size - filled, chunk.length - at);
      chunk.copy(frame, filled, at, at + n);
      filled += n;
      at += n;
      if (filled === size) {
        onFrame();
        filled = 0;
      }
    }
  };
  const { stderr } = await runFfmpeg(tools, ['-v', 'error', '-i', film, '-map', '0:v:0', '-vf', 'extractplanes=y', '-f', 'rawvideo', '-'], { ...(o.signal ? { signal: o.signal } : {}), onStdoutData: onData });
  const seams = pairs.flatMap((p): SeamMeasure[] => {
    const [a, b] = [kept.get(p.before), kept.get(p.after)];
    const j = manifest.joins[p.join];
    const [from, to] = [manifest.clips[p.join], manifest.clips[p.join + 1]];
    return a && b && j && from && to ? [{ from: from.clip, to: to.clip, type: j.type, before: p.before, after: p.after, ssim: ssimLuma(a, b, width, height) }] : [];
  });
  return { readings, seams, decodeErrors: stderr.trim() };
}

/** Each clip's code patches as they land in the film (none when its cells would be too small to read). */
function clipPatches(manifest: FilmManifest): MappedPatch[][] {
  return manifest.clips.map((c) => mappedPatches(c, manifest, fitMapping(c, manifest, manifest.fit)));
}

/** Decodes `film` and checks it against `manifest`. Never throws for a bad film: problems are returned. */
export async function verifyFilm(tools: FfmpegTools, film: string, manifest: FilmManifest, options: VerifyFilmOptions = {}): Promise<FilmVerification> {
  const o: Run = options.signal ? { signal: options.signal } : {};
  const info = await probeMedia(tools, film, o);
  const video = info.streams.find((s) => s.codecType === 'video' && !s.attachedPic);
  const problems: VerifyProblem[] = [];
  const expectedSeconds = manifest.frames / manifest.fps;
  if (!video) return { ok: false, frames: { expected: manifest.frames, decoded: 0, verified: 0, unchecked: 0 }, clips: [], seams: [], problems: [{ kind: 'stream', message: 'the film has no video stream' }] };
  if (video.width !== manifest.width || video.height !== manifest.height) problems.push({ kind: 'stream', message: `the film is ${video.width}×${video.height}, its timeline ${manifest.width}×${manifest.height}` });
  if (video.frameRate !== undefined && Math.abs(video.frameRate - manifest.fps) > 0.01) problems.push({ kind: 'stream', message: `the film runs at ${video.frameRate} fps, its timeline at ${manifest.fps}` });
  const [vPackets, aPackets] = await Promise.all([packetTimes(tools, film, 'v:0', o), packetTimes(tools, film, 'a:0', o)]);
  problems.push(...timestampProblems(vPackets.map((p) => p.pts), manifest.fps));
  const audio = audioProblems(aPackets, manifest.audio, expectedSeconds, manifest.fps);
  problems.push(...audio.problems);
  if (problems.some((p) => p.kind === 'stream')) return { ok: false, frames: { expected: manifest.frames, decoded: vPackets.length, verified: 0, unchecked: 0 }, clips: [], seams: [], problems };
  const patches = clipPatches(manifest);
  const read = await readFilm(tools, film, manifest, patches, o);
  if (read.decodeErrors) problems.push({ kind: 'decode', message: `decoding reported errors: ${read.decodeErrors.split('\n').slice(0, 3).join('; ')}` });
  const check = checkFrames(manifest, read.readings, patches);
  for (const p of check.problems) problems.push({ kind: p.kind, message: p.message, first: p.first, last: p.last });
  for (const s of read.seams) {
    if (s.type === 'seam' && s.ssim < SEAM_MIN_SSIM) problems.push({ kind: 'seam', message: `the continuity seam ${s.from} → ${s.to} jumps (SSIM ${s.ssim.toFixed(3)} across film frames ${s.before}–${s.after})`, first: s.before, last: s.after });
  }
  return {
    ok: problems.length === 0,
    frames: { expected: manifest.frames, decoded: read.readings.length, verified: check.verified, unchecked: check.unchecked },
    clips: manifest.clips.map((c, i) => ({ clip: c.clip, coded: check.clips[i]?.coded ?? false })),
    seams: read.seams,
    ...(audio.seconds === undefined ? {} : { audio: { seconds: audio.seconds, videoSeconds: expectedSeconds } }),
    problems,
  };
}
