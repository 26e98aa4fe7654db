// bench/soak: 20 renders of 7 two-second wan2.7 clips through the DashScope backend, each against its own emulator
// with the faults at double the standard rates (throttle=0.6,server=0.2,task=0.1,truncate=0.1) behind a lossy proxy
// (create answers lost to 504s and resets after the service acted, requests reset before it saw them, poll and
// task-list answers lost). Target: billed seconds = the minimum (each clip's seconds once) in every render, and
// every film verified frame by frame with each clip showing its own task. Real waits (Retry-After, backoff).
// Usage: node --import tsx bench/soak.ts [renders] [clips] [at once]
import { join } from 'node:path';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import { startEmulator } from '../src/backends/emulator/emulator-server.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import { randomLoss, startLossyProxy, type LossRates } from '../test/helpers/lossy-proxy.js';
import { renderPaid, shortClips, storyboardDir, verifyOwnClips } from '../test/helpers/paid-render.js';
import { report } from './measure.js';

const [renders = 20, clips = 7, atOnce = 4] = process.argv.slice(2).map(Number);
const DOUBLE_FAULTS = 'throttle=0.6,server=0.2,task=0.1,truncate=0.1';
const LOSSES: LossRates = {
  create: { 'answer-504': 0.15, 'reset-after': 0.1, 'reset-before': 0.05 },
  query: { 'answer-504': 0.1, 'reset-after': 0.1 },
  list: { 'answer-504': 0.1, 'reset-after': 0.05 },
};

/** One render and what it cost. */
interface SoakRun {
  readonly billed: number;
  readonly minimum: number;
  readonly tasks: number;
  readonly failedTasks: number;
  readonly rendered: boolean;
  readonly verified: boolean;
  readonly ownClips: boolean;
  readonly frames: number;
  readonly lost: number;
  readonly faults: number;
  readonly seconds: number;
}

const tools = await resolveFfmpeg();

async function soakOnce(i: number): Promise<SoakRun> {
  const emulator = await startEmulator({ latency: 0.3, faults: DOUBLE_FAULTS, seed: 1000 + i, render: previewRender(tools), ffmpeg: tools });
  const proxy = await startLossyProxy(emulator.url, randomLoss(LOSSES, 2000 + i));
  const t0 = Date.now();
  try {
    const { dir, file } = await storyboardDir(shortClips(clips, `Soak ${i}`), 'sb-soak-');
    const { outcome } = await renderPaid(file, proxy.baseUrl, tools);
    const rendered = outcome.status === 'rendered' && outcome.result.failures.length === 0;
    const own = outcome.status === 'rendered' && outcome.film ? await verifyOwnClips(tools, join(dir, outcome.plan.stitch.output), outcome.plan) : undefined;
    const stats = emulator.stats();
    const run: SoakRun = {
      billed: stats.billed_seconds, minimum: clips * 2, tasks: stats.submitted_tasks, failedTasks: stats.failed, rendered,
      verified: outcome.status === 'rendered' && outcome.verification?.ok === true, ownClips: own?.ok === true, frames: own?.frames ?? 0,
      lost: Object.values(proxy.counts).reduce((s, c) => s + c['answer-504'] + c['reset-after'] + c['reset-before'], 0),
      faults: stats.throttled + stats.server_errors, seconds: (Date.now() - t0) / 1000,
    };
    process.stderr.write(`soak ${i + 1}/${renders}: billed ${run.billed} s (minimum ${run.minimum}), ${run.tasks} tasks (${run.failedTasks} failed, unbilled), `
      + `film ${run.verified ? 'verified' : 'NOT verified'}, own clips ${run.ownClips ? `${run.frames} frames` : 'NOT'}; ${run.lost} answers lost, ${run.faults} faults, ${run.seconds.toFixed(0)} s\n`);
    return run;
  } finally {
    await proxy.close();
    await emulator.close();
  }
}

const runs: SoakRun[] = [];
let next = 0;
const t0 = Date.now();
await Promise.all(Array.from({ length: Math.min(atOnce, renders) }, async () => {
  while (next < renders) runs.push(await soakOnce(next++));
}));
const sum = (f: (r: SoakRun) => number): number => runs.reduce((s, r) => s + f(r), 0);
report({
  bench: 'soak', renders: runs.length, clipsPerRender: clips, billedSeconds: sum((r) => r.billed), minimumSeconds: sum((r) => r.minimum),
  rendersAtMinimum: runs.filter((r) => r.billed === r.minimum).length, tasksCreated: sum((r) => r.tasks), tasksFailed: sum((r) => r.failedTasks),
  rendersComplete: runs.filter((r) => r.rendered).length, filmsVerified: runs.filter((r) => r.verified).length, filmsOwnClips: runs.filter((r) => r.ownClips).length,
  framesVerified: sum((r) => r.frames), answersLost: sum((r) => r.lost), emulatorFaults: sum((r) => r.faults), wallS: (Date.now() - t0) / 1000,
  targets: 'rendersAtMinimum = filmsVerified = filmsOwnClips = renders',
});
