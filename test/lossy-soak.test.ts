// Issue 13: through the lossy proxy and the emulator's faults at double the standard rates, renders are billed the
// minimum (each clip's seconds once) and every film verifies frame by frame, each clip showing its own task.
// A few renders here (waits scaled down tenfold); bench/soak.ts runs twenty at real speed.
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import { startEmulator, type Emulator } from '../src/backends/emulator/emulator-server.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { randomLoss, startLossyProxy, type LossyProxy } from './helpers/lossy-proxy.js';
import { renderPaid, shortClips, storyboardDir, verifyOwnClips } from './helpers/paid-render.js';

/** The standard fault rates of the e2e suite (throttle=0.3,server=0.1,task=0.05,truncate=0.05), doubled. */
const DOUBLE_FAULTS = 'throttle=0.6,server=0.2,task=0.1,truncate=0.1';
const LOSSES = {
  create: { 'answer-504': 0.15, 'reset-after': 0.1, 'reset-before': 0.05 },
  query: { 'answer-504': 0.1, 'reset-after': 0.1 },
  list: { 'answer-504': 0.1, 'reset-after': 0.05 },
} as const;

let tools: FfmpegTools;
let emulator: Emulator;
let proxy: LossyProxy;

beforeAll(async () => {
  tools = await resolveFfmpeg();
  emulator = await startEmulator({ latency: 0.3, faults: DOUBLE_FAULTS, seed: 13, render: previewRender(tools), ffmpeg: tools });
  proxy = await startLossyProxy(emulator.url, randomLoss(LOSSES, 13));
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
});

/** Waits a tenth of what the backend asks (Retry-After, backoff, polls): the same decisions, in less time. */
const fastSleep = (ms: number, signal?: AbortSignal): Promise<void> => delay(ms / 10, undefined, { signal });

describe('renders through a lossy proxy and doubled emulator faults', () => {
  it('three renders of two clips at once: billed seconds are the minimum each time and every film verifies with its own clips', async () => {
    const before = emulator.stats();
    const renders = await Promise.all([0, 1, 2].map(async (i) => {
      const { dir, file } = await storyboardDir(shortClips(2, `Soak ${i}`));
      return { dir, ...(await renderPaid(file, proxy.baseUrl, tools, { sleep: fastSleep })) };
    }));
    for (const { dir, outcome } of renders) {
      expect(outcome.status).toBe('rendered');
      if (outcome.status !== 'rendered') return;
      expect(outcome.result.failures.map((f) => f.message)).toEqual([]);
      expect(outcome.verification?.ok).toBe(true);
      const own = await verifyOwnClips(tools, join(dir, outcome.plan.stitch.output), outcome.plan);
      expect(own.problems).toEqual([]);
      expect(own.frames).toBe(2 * 60);
    }
    // every clip billed once: 6 clips of 2 s, whatever was lost or failed on the way
    expect(emulator.stats().billed_seconds - before.billed_seconds).toBe(12);
    const lost = Object.values(proxy.counts).reduce((s, c) => s + c['answer-504'] + c['reset-after'] + c['reset-before'], 0);
    expect(lost).toBeGreaterThan(0);
    expect(emulator.stats().throttled + emulator.stats().server_errors).toBeGreaterThan(0);
  }, 180_000);
});
