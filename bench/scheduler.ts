// bench/scheduler: 40 clips (8 continuity chains × 5) through a fake backend with a fixed latency, at the
// wan2.7 concurrency of 5. Reports makespan / max(critical path, work / concurrency) (target ≤ 1.05).
// The fake backend copies a pre-made 5 s clip, so everything else (cache, probing, hashing, last-frame
// extraction, scheduling) is the real runner.
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../src/backends/backend.js';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import { report } from './measure.js';
import { timedRun } from './timed-run.js';

const LATENCY_MS = 1000;
const CONCURRENCY = 5;
const CHAINS = 8;
const LENGTH = 5;

const lines = ['version: 1', 'title: Scheduler bench', 'defaults: { resolution: 720P }', 'scenes:'];
for (let c = 0; c < CHAINS; c++) {
  for (let k = 0; k < LENGTH; k++) {
    lines.push(k === 0 ? `  - { id: c${c}-${k}, model: wan2.7-t2v, prompt: Chain ${c}., duration: 5 }`
      : `  - { id: c${c}-${k}, model: wan2.7-i2v, continues: c${c}-${k - 1}, prompt: Chain ${c} part ${k}., duration: 5 }`);
  }
}
const valid = validateStoryboard({ path: 'bench.yaml', text: lines.join('\n') + '\n' });
if (!valid.ok) throw new Error('invalid bench storyboard');
const plan = planStoryboard(valid.value);

const dir = await mkdtemp(join(tmpdir(), 'sb-bench-sched-'));
const ffmpeg = await resolveFfmpeg();
const template = join(dir, 'template.mp4');
await runFfmpeg(ffmpeg, ['-f', 'lavfi', '-i', 'color=c=gray:s=64x36:r=30:d=5', '-f', 'lavfi', '-i', 'sine=d=5:r=48000', '-frames:v', '150', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-ac', '2', '-shortest', template]);
const backend: Backend = {
  name: 'bench', paid: false, version: '1', concurrency: () => CONCURRENCY,
  async render(req) {
    await new Promise((r) => setTimeout(r, LATENCY_MS));
    await copyFile(template, req.outFile);
    return {};
  },
};
const makespan = await timedRun(plan, backend, ffmpeg, dir);
const latency = LATENCY_MS / 1000;
const criticalPath = LENGTH * latency;
const workPerSlot = (CHAINS * LENGTH * latency) / CONCURRENCY;
const bound = Math.max(criticalPath, workPerSlot);
report({ bench: 'scheduler', clips: plan.jobs.length, latencyS: latency, concurrency: CONCURRENCY, makespanS: makespan, lowerBoundS: bound, ratio: makespan / bound, target: 'ratio <= 1.05' });
await rm(dir, { recursive: true, force: true });
