// bench/stitch: film assembly of 20 × 5 s 1080p30 clips encoded like Wan (libx264 High, yuv420p, default
// keyint, AAC 48 kHz stereo on every clip), generated once into a temp dir for the run.
// (a) cuts only: stitchFilm (copy path) against a plain `ffmpeg -f concat -safe 0 -i list -c copy`; target ≤ 1.3.
// (b) 19 × 0.5 s dissolves with the normalised clips already cached, against one full re-encode with an
//     xfade + acrossfade chain (veryfast); the chain is stopped after 3 min or 4 GB (here a process that
//     grew to ~10 GB was SIGKILLed from outside) and the figure measured in ffmpeg-notes §3 (85.5 s,
//     9.55 GB) is reported in its place.
// (c) peak RSS of the assembly's ffmpeg processes (/usr/bin/time -f %M per process; processes running side by
//     side are summed) and of the full re-encode (VmHWM polled from /proc); target < 1 GB.
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Join, StitchJob } from '../src/compiler/plan/types.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/stitch/ffmpeg-binaries.js';
import { probeMedia, runFfmpeg } from '../src/stitch/ffmpeg.js';
import { stitchFilm, type FilmClip } from '../src/stitch/stitch-film.js';
import { report } from './measure.js';

const CLIPS = 20;
const SECONDS = 5;
const DISSOLVE = 0.5;
const CHAIN_LIMIT_MS = 180_000;
const CHAIN_LIMIT_KIB = 4 * 1024 * 1024;
const NOTES_CHAIN = { seconds: 85.5, peakMiB: 9.55 * 1024 };

const tools = await resolveFfmpeg();
const dir = await mkdtemp(join(tmpdir(), 'storyboard-bench-stitch-'));

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await seconds(fn));
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? Number.NaN;
}

/** One Wan-like clip: a hue-shifted testsrc2 (cheap to generate at 1080p) and a tone, one fast encode. */
async function makeClip(i: number): Promise<FilmClip> {
  const file = join(dir, `clip-${String(i).padStart(2, '0')}.mp4`);
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', `testsrc2=s=1920x1080:r=30:d=${SECONDS},hue=h=${i * 18}`, '-f', 'lavfi', '-i', `sine=f=${200 + 40 * i}:d=${SECONDS}:r=48000`,
    '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-ac', '2', file]);
  return { clip: `c${i}`, file, sha256: `bench-clip-${i}`, duration: SECONDS, width: 1920, height: 1080, audio: true };
}

function job(clips: readonly FilmClip[], type: Join['type'], duration: number): StitchJob {
  const joins = clips.slice(1).map((c, i): Join => ({ from: clips[i]?.clip ?? '', to: c.clip, type, duration }));
  return { output: 'film.mp4', order: clips.map((c) => c.clip), joins, starts: [], duration: 0, chapters: [], cues: [], fit: 'cover', subtitles: { srt: false, vtt: false, burn: false }, chapterMarks: false };
}

/** Tools whose ffmpeg runs under /usr/bin/time, appending "start elapsed maxRSS(KiB)" per process to `log`. */
async function timedTools(log: string): Promise<FfmpegTools | undefined> {
  if (!existsSync('/usr/bin/time')) return undefined;
  const wrapper = join(dir, 'ffmpeg-timed.sh');
  await writeFile(wrapper, `#!/bin/sh\ns=$(date +%s.%N)\nexec /usr/bin/time -f "$s %e %M" -a -o '${log}' '${tools.ffmpeg.path}' "$@"\n`);
  await chmod(wrapper, 0o755);
  return { ...tools, ffmpeg: { ...tools.ffmpeg, path: wrapper } };
}

/** Largest per-process peak and the largest sum of peaks of processes that ran at the same time, in MiB. */
async function peaks(log: string): Promise<{ processes: number; maxMiB: number; concurrentMiB: number }> {
  const rows = (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean).map((l) => l.split(' ').map(Number))
    .map(([start = 0, elapsed = 0, kib = 0]) => ({ start, end: start + elapsed, mib: kib / 1024 }));
  const concurrent = rows.map((r) => rows.filter((o) => o.start <= r.start && o.end > r.start).reduce((s, o) => s + o.mib, 0));
  return { processes: rows.length, maxMiB: Math.max(0, ...rows.map((r) => r.mib)), concurrentMiB: Math.max(0, ...concurrent) };
}

async function benchCuts(clips: readonly FilmClip[]): Promise<void> {
  const list = join(dir, 'plain.ffconcat');
  await writeFile(list, clips.map((c) => `file '${c.file}'`).join('\n') + '\n');
  const plain = await median(3, () => runFfmpeg(tools, ['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', join(dir, 'plain.mp4')]));
  const cacheDir = join(dir, 'cache-cuts');
  const j = job(clips, 'cut', 0);
  let method = '';
  const cold = await seconds(async () => (method = (await stitchFilm(tools, j, clips, join(dir, 'cuts.mp4'), { cacheDir })).method));
  const warm = await median(3, () => stitchFilm(tools, j, clips, join(dir, 'cuts.mp4'), { cacheDir }));
  const exactAudio = await seconds(() => stitchFilm(tools, j, clips, join(dir, 'cuts-exact.mp4'), { cacheDir, exactAudio: true }));
  report({ bench: 'stitch (a) cuts only, 20 × 5 s 1080p', method, assemblySeconds: warm, plainConcatSeconds: plain, ratio: warm / plain, target: '≤ 1.3',
    firstRunWithProbesSeconds: cold, firstRunRatio: cold / plain, exactAudioSeconds: exactAudio, note: 'assembly = copy path with probe facts cached, incl. +faststart, fsync, sha256' });
}

/** Full re-encode: one xfade chain and one acrossfade chain over every clip (ffmpeg-notes §3 (c)). */
function chainArgs(clips: readonly FilmClip[], out: string): string[] {
  const graph: string[] = [];
  let length = SECONDS;
  for (let i = 1; i < clips.length; i++) {
    const [v, a] = i === 1 ? ['[0:v]', '[0:a]'] : [`[v${i - 1}]`, `[a${i - 1}]`];
    graph.push(`${v}[${i}:v]xfade=transition=fade:duration=${DISSOLVE}:offset=${(length - DISSOLVE).toFixed(3)}[v${i}]`);
    graph.push(`${a}[${i}:a]acrossfade=d=${DISSOLVE}:c1=tri:c2=tri[a${i}]`);
    length += SECONDS - DISSOLVE;
  }
  graph.push(`[v${clips.length - 1}]format=yuv420p,setpts=N/30/TB[v]`);
  return [...clips.flatMap((c) => ['-i', c.file]), '-filter_complex', graph.join(';'), '-map', '[v]', '-map', `[a${clips.length - 1}]`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', out];
}

/** Runs the chain, sampling its memory; `stopped` says why it did not finish (time, memory, killed). */
async function runChain(clips: readonly FilmClip[]): Promise<{ seconds: number; peakMiB: number; stopped?: string }> {
  const stop = new AbortController();
  let why = '';
  const timer = setTimeout(() => ((why = 'over 3 min'), stop.abort()), CHAIN_LIMIT_MS);
  let peakKib = 0;
  let sampler: NodeJS.Timeout | undefined;
  const sample = async (pid: number): Promise<void> => {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    peakKib = Math.max(peakKib, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    if (peakKib > CHAIN_LIMIT_KIB && !stop.signal.aborted) {
      why = `over ${CHAIN_LIMIT_KIB / 1024 / 1024} GB`;
      stop.abort();
    }
  };
  const onSpawn = (pid: number): void => void (sampler = setInterval(() => void sample(pid), 50));
  const t0 = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - t0) / 1e9;
  try {
    await runFfmpeg(tools, chainArgs(clips, join(dir, 'chain.mp4')), { signal: stop.signal, onSpawn });
    return { seconds: elapsed(), peakMiB: peakKib / 1024 };
  } catch (e) {
    return { seconds: elapsed(), peakMiB: peakKib / 1024, stopped: why || (e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e)) };
  } finally {
    clearTimeout(timer);
    clearInterval(sampler);
  }
}

async function benchDissolves(clips: readonly FilmClip[]): Promise<void> {
  const cacheDir = join(dir, 'cache-dissolves');
  const j = job(clips, 'dissolve', DISSOLVE);
  const coldLog = join(dir, 'cold.log');
  const coldTools = (await timedTools(coldLog)) ?? tools;
  const cold = await seconds(() => stitchFilm(coldTools, j, clips, join(dir, 'dissolves.mp4'), { cacheDir }));
  const warmLog = join(dir, 'warm.log');
  const warmTools = (await timedTools(warmLog)) ?? tools;
  let result: Awaited<ReturnType<typeof stitchFilm>> | undefined;
  const warm = await seconds(async () => (result = await stitchFilm(warmTools, j, clips, join(dir, 'dissolves.mp4'), { cacheDir })));
  const chain = await runChain(clips);
  const reference = chain.stopped ? NOTES_CHAIN : chain;
  const film = await probeMedia(tools, join(dir, 'dissolves.mp4'));
  const [video, audio] = ['video', 'audio'].map((k) => film.streams.find((st) => st.codecType === k)?.duration ?? 0);
  report({ bench: 'stitch (b) 19 dissolves, normalised clips cached', method: result?.method ?? '', normalizedReused: result?.normalized?.reused ?? 0,
    filmVideoSeconds: video, filmAudioSeconds: audio, expectedSeconds: CLIPS * SECONDS - (CLIPS - 1) * DISSOLVE,
    assemblySeconds: warm, fullReencodeSeconds: reference.seconds, ratio: warm / reference.seconds,
    reference: chain.stopped ? `chain stopped after ${chain.seconds.toFixed(1)} s at ${chain.peakMiB.toFixed(0)} MiB (${chain.stopped}): ffmpeg-notes §3 figure` : 'measured in this run',
    firstAssemblyWithNormalisationSeconds: cold });
  const [w, c] = [await peaks(warmLog), await peaks(coldLog)];
  report({ bench: 'stitch (c) peak RSS of ffmpeg processes', assemblyMaxProcessMiB: w.maxMiB, assemblyConcurrentMiB: w.concurrentMiB, assemblyProcesses: w.processes,
    normalisingMaxProcessMiB: c.maxMiB, normalisingConcurrentMiB: c.concurrentMiB, fullReencodeMiB: reference.peakMiB,
    fullReencodeSource: chain.stopped ? `ffmpeg-notes §3 (here stopped at ${chain.peakMiB.toFixed(0)} MiB)` : 'VmHWM polled in this run', target: '< 1024 MiB',
    method: existsSync('/usr/bin/time') ? '/usr/bin/time -f %M per process; side-by-side processes summed' : 'not measured (no /usr/bin/time)' });
}

try {
  const clips: FilmClip[] = [];
  const made = await seconds(async () => {
    for (let i = 0; i < CLIPS; i++) clips.push(await makeClip(i));
  });
  process.stderr.write(`bench/stitch: generated ${CLIPS} clips in ${made.toFixed(1)} s\n`);
  await benchCuts(clips);
  await benchDissolves(clips);
} finally {
  await rm(dir, { recursive: true, force: true });
}
