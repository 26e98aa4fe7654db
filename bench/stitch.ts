// bench/stitch: film assembly of 20 clips of 5 s and of 12 s (longer than one 250-frame GOP), 1080p30, encoded
// like Wan (libx264 High, yuv420p, default keyint, AAC 48 kHz stereo on every clip), generated into a temp dir.
// Every figure is a ratio against a baseline measured in the same run, for each clip length:
// (a) cuts only: stitchFilm (copy path) against a plain `ffmpeg -f concat -safe 0 -i list -c copy`, runs
//     alternated, medians; target ≤ 1.3.
// (b) 19 × 0.5 s dissolves, nothing cached, against ONE segment-concat re-encode of the same film
//     (ffmpeg-notes §3 (c'): split/trim into head/body/tail, xfade + acrossfade on the windows only, one concat,
//     libx264 veryfast crf 20 with its default threads, aac); target ≤ 1.0. Then the same film again with
//     its pieces cached.
// (c) peak RSS of the assembly's ffmpeg processes (/usr/bin/time -f %M per process; processes running side by
//     side are summed) and of the re-encode (VmHWM polled from /proc); target < 1 GB.
// Env: STITCH_SECONDS (default "5,12"), STITCH_ROUNDS (cold/re-encode pairs, default 1), CUT_RUNS (default 7).
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Join, StitchJob } from '../src/compiler/plan/types.js';
import { mapLimited } from '../src/assembly/batching.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { probeMedia, runFfmpeg } from '../src/media/ffmpeg.js';
import { stitchFilm, type FilmClip } from '../src/assembly/stitch-film.js';
import { median, pairedSeconds, report, timeSeconds } from './measure.js';

const CLIPS = 20;
const DISSOLVE = 0.5;
const LENGTHS = (process.env.STITCH_SECONDS ?? '5,12').split(',').map(Number);
const ROUNDS = Number(process.env.STITCH_ROUNDS ?? 1);
const CUT_RUNS = Number(process.env.CUT_RUNS ?? 7);
/** The re-encode is stopped past this (it is ~3.3 GB here); a stopped run is reported as such, not as a figure. */
const REENCODE_LIMIT_KIB = 8 * 1024 * 1024;

const tools = await resolveFfmpeg();
const dir = await mkdtemp(join(tmpdir(), 'storyboard-bench-stitch-'));

/** One Wan-like clip: a hue-shifted testsrc2 (cheap to generate at 1080p) and a tone, one fast encode. */
async function makeClip(i: number, seconds: number): Promise<FilmClip> {
  const file = join(dir, `clip-${seconds}s-${String(i).padStart(2, '0')}.mp4`);
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', `testsrc2=s=1920x1080:r=30:d=${seconds},hue=h=${i * 18}`, '-f', 'lavfi', '-i', `sine=f=${200 + 40 * i}:d=${seconds}:r=48000`,
    '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-ac', '2', file]);
  return { clip: `c${i}`, file, sha256: `bench-clip-${seconds}s-${i}`, duration: seconds, width: 1920, height: 1080, audio: true };
}

function job(clips: readonly FilmClip[], type: Join['type'], duration: number): StitchJob {
  const joins = clips.slice(1).map((c, i): Join => ({ from: clips[i]?.clip ?? '', to: c.clip, type, duration }));
  return { output: 'film.mp4', order: clips.map((c) => c.clip), joins, starts: [], duration: 0, chapters: [], cues: [], fit: 'cover', subtitles: { srt: false, vtt: false, burn: false }, chapterMarks: false };
}

/** Tools whose ffmpeg runs under /usr/bin/time, appending "start elapsed maxRSS(KiB)" per process to `log`. */
async function timedTools(log: string): Promise<FfmpegTools | undefined> {
  if (!existsSync('/usr/bin/time')) return undefined;
  const wrapper = `${log}.sh`;
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

async function benchCuts(clips: readonly FilmClip[], seconds: number): Promise<void> {
  const list = join(dir, 'plain.ffconcat');
  await writeFile(list, clips.map((c) => `file '${c.file}'`).join('\n') + '\n');
  const cacheDir = join(dir, `cache-cuts-${seconds}`);
  const j = job(clips, 'cut', 0);
  let method = '';
  const cold = await timeSeconds(async () => (method = (await stitchFilm(tools, j, clips, join(dir, 'cuts.mp4'), { cacheDir })).method));
  const plainRun = (): Promise<unknown> => runFfmpeg(tools, ['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-y', join(dir, 'plain.mp4')]);
  const paired = await pairedSeconds(CUT_RUNS, () => stitchFilm(tools, j, clips, join(dir, 'cuts.mp4'), { cacheDir }), plainRun);
  const exactAudio = await timeSeconds(() => stitchFilm(tools, j, clips, join(dir, 'cuts-exact.mp4'), { cacheDir, exactAudio: true }));
  report({ bench: `stitch (a) cuts only, 20 × ${seconds} s 1080p`, method, assemblySeconds: paired.subject, plainConcatSeconds: paired.baseline,
    ratio: paired.ratio, ratioOfMedians: paired.subject / paired.baseline, runs: CUT_RUNS, target: '≤ 1.3',
    firstRunWithProbesSeconds: cold, exactAudioSeconds: exactAudio, note: 'alternated runs, median of per-run ratios; ours = copy path with probe facts cached, incl. +faststart, fsync, sha256' });
}

/** One re-encode of the film as ffmpeg-notes §3 (c') builds it: head/body/tail per clip, windows blended, one concat. */
function segmentConcatArgs(clips: readonly FilmClip[], seconds: number, out: string): string[] {
  const frames = seconds * 30;
  const window = Math.round(DISSOLVE * 30);
  const samples = (f: number): number => f * 1600;
  const graph: string[] = [];
  const order: string[] = [];
  clips.forEach((_, i) => {
    const ranges = [...(i > 0 ? [['h', 0, window] as const] : []), ['b', i > 0 ? window : 0, i < clips.length - 1 ? frames - window : frames] as const,
      ...(i < clips.length - 1 ? [['t', frames - window, frames] as const] : [])];
    graph.push(`[${i}:v]split=${ranges.length}${ranges.map(([r]) => `[v${i}${r}s]`).join('')}`);
    graph.push(`[${i}:a]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,apad,atrim=end_sample=${samples(frames)},asplit=${ranges.length}${ranges.map(([r]) => `[a${i}${r}s]`).join('')}`);
    for (const [r, start, end] of ranges) {
      graph.push(`[v${i}${r}s]trim=start_frame=${start}:end_frame=${end},setpts=PTS-STARTPTS[v${i}${r}]`);
      graph.push(`[a${i}${r}s]atrim=start_sample=${samples(start)}:end_sample=${samples(end)},asetpts=PTS-STARTPTS[a${i}${r}]`);
    }
    if (i > 0) {
      graph.push(`[v${i - 1}t][v${i}h]xfade=transition=fade:duration=${DISSOLVE}:offset=0,format=yuv420p,setpts=N/30/TB[xv${i}]`);
      graph.push(`[a${i - 1}t][a${i}h]acrossfade=ns=${samples(window)}:c1=tri:c2=tri[xa${i}]`);
      order.push(`[xv${i}][xa${i}]`);
    }
    order.push(`[v${i}b][a${i}b]`);
  });
  graph.push(`${order.join('')}concat=n=${order.length}:v=1:a=1[v][a]`);
  return [...clips.flatMap((c) => ['-i', c.file]), '-filter_complex', graph.join(';'), '-map', '[v]', '-map', '[a]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-y', out];
}

/** Runs the re-encode, sampling its memory (VmHWM); throws if it is stopped or fails. */
async function runReencode(clips: readonly FilmClip[], seconds: number): Promise<{ seconds: number; peakMiB: number }> {
  const stop = new AbortController();
  let peakKib = 0;
  let sampler: NodeJS.Timeout | undefined;
  const sample = async (pid: number): Promise<void> => {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    peakKib = Math.max(peakKib, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    if (peakKib > REENCODE_LIMIT_KIB) stop.abort();
  };
  const onSpawn = (pid: number): void => void (sampler = setInterval(() => void sample(pid), 100));
  try {
    const s = await timeSeconds(() => runFfmpeg(tools, segmentConcatArgs(clips, seconds, join(dir, 'reencode.mp4')), { signal: stop.signal, onSpawn }));
    return { seconds: s, peakMiB: peakKib / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

async function benchDissolves(clips: readonly FilmClip[], seconds: number): Promise<void> {
  const j = job(clips, 'dissolve', DISSOLVE);
  const coldLog = join(dir, `cold-${seconds}.log`);
  const coldTools = (await timedTools(coldLog)) ?? tools;
  const cacheDir = (round: number): string => join(dir, `cache-dissolves-${seconds}-${round}`);
  const colds: number[] = [];
  const hashes = new Set<string>();
  const reencodes: { seconds: number; peakMiB: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // alternate the order, so that load from elsewhere falls on both alike
    const cold = async (): Promise<void> => {
      // only the first round's processes go into the memory figures (the log would mix rounds otherwise)
      colds.push(await timeSeconds(async () => hashes.add((await stitchFilm(round === 0 ? coldTools : tools, j, clips, join(dir, 'dissolves.mp4'), { cacheDir: cacheDir(round) })).sha256)));
    };
    if (round % 2) await cold();
    reencodes.push(await runReencode(clips, seconds));
    if (!(round % 2)) await cold();
  }
  const warmLog = join(dir, `warm-${seconds}.log`);
  const warmTools = (await timedTools(warmLog)) ?? tools;
  let result: Awaited<ReturnType<typeof stitchFilm>> | undefined;
  const warm = await timeSeconds(async () => (result = await stitchFilm(warmTools, j, clips, join(dir, 'dissolves.mp4'), { cacheDir: cacheDir(0) })));
  hashes.add(result?.sha256 ?? '');
  const film = await probeMedia(tools, join(dir, 'dissolves.mp4'));
  const [video, audio] = ['video', 'audio'].map((k) => film.streams.find((st) => st.codecType === k)?.duration ?? 0);
  const reencode = median(reencodes.map((r) => r.seconds));
  const firstAssembly = median(colds);
  report({ bench: `stitch (b) 19 dissolves, 20 × ${seconds} s 1080p`, method: result?.method ?? '', filmVideoSeconds: video, filmAudioSeconds: audio,
    expectedSeconds: CLIPS * seconds - (CLIPS - 1) * DISSOLVE, firstAssemblySeconds: firstAssembly, segmentConcatReencodeSeconds: reencode,
    ratio: median(colds.map((c, i) => c / (reencodes[i]?.seconds ?? NaN))), target: '≤ 1.0', rounds: ROUNDS,
    cachedAssemblySeconds: warm, cachedRatio: warm / reencode, piecesReused: result?.normalized?.reused ?? 0,
    sameBytes: hashes.size === 1 ? `yes (${ROUNDS} fresh + 1 cached assembly, one sha256)` : `NO: ${hashes.size} different films` });
  const [w, c] = [await peaks(warmLog), await peaks(coldLog)];
  report({ bench: `stitch (c) peak RSS of ffmpeg processes, 20 × ${seconds} s`, firstAssemblyMaxProcessMiB: c.maxMiB, firstAssemblyConcurrentMiB: c.concurrentMiB,
    firstAssemblyProcesses: c.processes, cachedMaxProcessMiB: w.maxMiB, cachedConcurrentMiB: w.concurrentMiB, cachedProcesses: w.processes,
    segmentConcatReencodeMiB: Math.max(...reencodes.map((r) => r.peakMiB)), target: '< 1024 MiB',
    method: existsSync('/usr/bin/time') ? '/usr/bin/time -f %M per process, side-by-side processes summed; re-encode: VmHWM polled' : 'not measured (no /usr/bin/time)' });
}

try {
  for (const seconds of LENGTHS) {
    const clips: FilmClip[] = [];
    const made = await timeSeconds(async () => clips.push(...(await mapLimited(Array.from({ length: CLIPS }, (_, i) => i), 2, (i) => makeClip(i, seconds)))));
    process.stderr.write(`bench/stitch: generated ${CLIPS} clips of ${seconds} s in ${made.toFixed(1)} s\n`);
    await benchCuts(clips, seconds);
    await benchDissolves(clips, seconds);
    await Promise.all(clips.map((c) => rm(c.file, { force: true })));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
