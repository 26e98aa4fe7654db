// bench/preview: the preview backend renders 10 s clips at 720p and 1080p (with audio, as Wan 2.6+/2.7
// make it), without images, over a first-frame image, and over first + last images.
// Target: ≥ 10 s of video per wall second at 720p on 2 cores. Baseline in the same run: a bare
// `ffmpeg -f lavfi -i color=…:d=10 -c:v libx264 -preset ultrafast` of the same size, so `ratio` is
// preview time / bare encode time and survives a noisy machine better than the absolute numbers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedInput } from '../src/backends/backend.js';
import { createPreviewBackend } from '../src/backends/preview/preview-backend.js';
import type { ClipInput, ClipJob } from '../src/compiler/plan/types.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { peakRssMiB, report } from './measure.js';

const CLIP_SECONDS = 10;
const CLIPS = 3;
const SIZES = [
  { label: '720p', width: 1280, height: 720 },
  { label: '1080p', width: 1920, height: 1080 },
] as const;
type Variant = 'plain' | 'first' | 'first+last';
const VARIANTS: readonly Variant[] = ['plain', 'first', 'first+last'];

const tools = await resolveFfmpeg();
const dir = await mkdtemp(join(tmpdir(), 'storyboard-bench-preview-'));
const backend = createPreviewBackend();

function job(i: number, width: number, height: number, inputs: readonly ClipInput['name'][]): ClipJob {
  return {
    id: `bench-${i}`, scene: 'bench', shots: ['wide', 'close'], at: { line: 1, column: 1 }, model: 'wan2.7-i2v',
    request: { method: 'POST', path: '/', body: { model: 'wan2.7-i2v', input: {}, parameters: {} } },
    prompt: 'A harbour at dawn. Shot 1 [0-5 s]: Wide shot, slow push in. Fishing boats rock on the swell. ' +
      'Shot 2 [5-10 s]: Close-up, static. A gull lands on a mooring post and shakes the rain from its wings.',
    seed: { value: i, source: 'derived' },
    inputs: inputs.map((name) => ({ name, kind: 'image', from: { file: `${name}.png` }, at: { line: 1, column: 1 } })),
    dependsOn: [], expected: { duration: CLIP_SECONDS, width, height, fps: 30, audio: true },
    cost: { usd: 0, perSecond: 0, resolution: '720P' },
  };
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Wall seconds per 10 s clip of the bare encode (median of 3). */
async function baseline(width: number, height: number): Promise<number> {
  const out = join(dir, 'baseline.mp4');
  const args = ['-f', 'lavfi', '-i', `color=c=0x336699:s=${width}x${height}:r=30:d=${CLIP_SECONDS}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-threads', '2', '-f', 'mp4', out];
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push(await seconds(() => runFfmpeg(tools, args)));
  return times.sort((a, b) => a - b)[1] ?? Number.NaN;
}

async function images(width: number, height: number): Promise<{ first: string; last: string }> {
  const first = join(dir, `first-${width}.png`);
  const last = join(dir, `last-${width}.png`);
  const src = `testsrc2=size=${width}x${height}:rate=30:duration=1`;
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', src, '-frames:v', '1', '-pix_fmt', 'rgb24', first]);
  await runFfmpeg(tools, ['-f', 'lavfi', '-i', `${src},trim=start_frame=20,hflip`, '-frames:v', '1', '-pix_fmt', 'rgb24', last]);
  return { first, last };
}

/** Renders `clips` clips, `parallel` at a time (as the runner would); wall seconds per clip. */
async function renderClips(width: number, height: number, variant: Variant, files: { first: string; last: string }, clips = CLIPS, parallel = 1): Promise<number> {
  const inputs = new Map<ClipInput['name'], ResolvedInput>();
  if (variant !== 'plain') inputs.set('first_frame', { file: files.first, sha256: 'first' });
  if (variant === 'first+last') inputs.set('last_frame', { file: files.last, sha256: 'last' });
  const queue = Array.from({ length: clips }, (_, i) => i);
  const worker = async (): Promise<void> => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      await backend.render({
        job: job(i, width, height, [...inputs.keys()]), key: `bench-${variant}-${i}`, inputs,
        outFile: join(dir, `clip-${i}.mp4`), ffmpeg: tools, signal: new AbortController().signal,
        journal: { submitted: () => undefined, record: async () => {} },
      });
    }
  };
  const total = await seconds(() => Promise.all(Array.from({ length: parallel }, worker)));
  return total / clips;
}

try {
  for (const size of SIZES) {
    const files = await images(size.width, size.height);
    const bare = await baseline(size.width, size.height);
    for (const variant of VARIANTS) {
      const perClip = await renderClips(size.width, size.height, variant, files);
      report({
        bench: 'preview', size: size.label, variant, clips: CLIPS, clipSeconds: CLIP_SECONDS,
        secondsPerClip: perClip, videoPerWall: CLIP_SECONDS / perClip,
        baselineSecondsPerClip: bare, baselineVideoPerWall: CLIP_SECONDS / bare, ratio: perClip / bare,
        peakMiB: peakRssMiB(), targets: size.label === '720p' ? 'videoPerWall >= 10' : 'report only',
      });
    }
  }
  // Throughput at the backend's default concurrency against one at a time (720p over a first frame).
  const files = await images(1280, 720);
  for (const parallel of [1, backend.concurrency('wan2.7-i2v')]) {
    const perClip = await renderClips(1280, 720, 'first', files, 4, parallel);
    report({ bench: 'preview-concurrency', size: '720p', variant: 'first', clips: 4, parallel, secondsPerClip: perClip, videoPerWall: CLIP_SECONDS / perClip });
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
