// bench/remote: 30 clips through the DashScope backend against the emulator at 2 s task latency and the
// wan2.7 concurrency of 5. Reports makespan / lower bound (target <= 1.1), where the lower bound is
// max(one task, 30 x 2 s / 5), and the emulator's peak task-query rate (target <= 20/s).
// The backend polls every 0.25 s (configurable; the default SDK schedule is for minutes-long tasks).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDashscopeBackend } from '../src/backends/dashscope/dashscope-backend.js';
import { startEmulator } from '../src/backends/emulator/emulator-server.js';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import { report } from './measure.js';
import { timedRun } from './timed-run.js';

const LATENCY = 2;
const CLIPS = 30;
const text = ['version: 1', 'title: Remote bench', 'defaults: { model: wan2.7-t2v, resolution: 720P }', 'scenes:',
  ...Array.from({ length: CLIPS }, (_, i) => `  - { id: c${i}, prompt: Clip ${i}., duration: 2 }`)].join('\n') + '\n';
const valid = validateStoryboard({ path: 'bench.yaml', text });
if (!valid.ok) throw new Error('invalid bench storyboard');
const plan = planStoryboard(valid.value);
const ffmpeg = await resolveFfmpeg();
const emulator = await startEmulator({ latency: LATENCY, pendingDelay: 0, ffmpeg });
const dir = await mkdtemp(join(tmpdir(), 'sb-bench-remote-'));
try {
  const backend = createDashscopeBackend({ apiKey: 'sk-bench', baseUrl: emulator.baseUrl, pollSchedule: [0.25] });
  const makespan = await timedRun(plan, backend, ffmpeg, dir);
  const bound = Math.max(LATENCY, (CLIPS * LATENCY) / 5);
  const stats = emulator.stats();
  report({ bench: 'remote', clips: CLIPS, latencyS: LATENCY, concurrency: 5, makespanS: makespan, lowerBoundS: bound, ratio: makespan / bound,
    peakQueryRate: stats.peak_query_rate, queries: stats.queries, maxRunning: stats.max_running['wan2.7-t2v'] ?? 0, targets: 'ratio <= 1.1, peakQueryRate <= 20' });
} finally {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
}
