// Issue 13, point 12: a 7-clip DashScope render adds no abort listener it does not remove (it used to add one per
// concurrency slot and keep it, so Node warned "MaxListenersExceededWarning … 11 abort listeners").
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewRender } from '../src/backends/emulator/preview-render.js';
import { startEmulator, type Emulator } from '../src/backends/emulator/emulator-server.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { renderPaid, shortClips, storyboardDir } from './helpers/paid-render.js';

let tools: FfmpegTools;
let emulator: Emulator;

beforeAll(async () => {
  tools = await resolveFfmpeg();
  emulator = await startEmulator({ latency: 0.3, render: previewRender(tools), ffmpeg: tools });
});
afterAll(async () => {
  await emulator.close();
});

describe('abort listeners of a DashScope render', () => {
  it('a 7-clip render raises no MaxListenersExceededWarning and leaves no listener on its signal', async () => {
    const { file } = await storyboardDir(shortClips(7, 'Listeners'));
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    const controller = new AbortController();
    try {
      const { outcome } = await renderPaid(file, emulator.baseUrl, tools, { signal: controller.signal });
      expect(outcome.status === 'rendered' && outcome.verification?.ok).toBe(true);
      // warnings are emitted on the next tick
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('MaxListenersExceeded'))).toEqual([]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
