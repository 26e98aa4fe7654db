// One emulator behind a lossy proxy for a test file's tests: started before them, stopped after them.
import { afterAll, beforeAll } from 'vitest';
import { previewRender } from '../../src/backends/emulator/preview-render.js';
import { startEmulator, type Emulator } from '../../src/backends/emulator/emulator-server.js';
import { resolveFfmpeg, type FfmpegTools } from '../../src/media/ffmpeg-binaries.js';
import { startLossyProxy, type LossyProxy } from './lossy-proxy.js';

/** What the file's tests use; filled in by the file's `beforeAll`. */
export interface LossyEmulator {
  readonly tools: FfmpegTools;
  readonly emulator: Emulator;
  readonly proxy: LossyProxy;
}

/** Registers the file's hooks: an emulator rendering previews (0.3 s latency) and a lossy proxy in front of it. */
export function useLossyEmulator(): LossyEmulator {
  const env = {} as { tools: FfmpegTools; emulator: Emulator; proxy: LossyProxy };
  beforeAll(async () => {
    env.tools = await resolveFfmpeg();
    env.emulator = await startEmulator({ latency: 0.3, render: previewRender(env.tools), ffmpeg: env.tools });
    env.proxy = await startLossyProxy(env.emulator.url);
  });
  afterAll(async () => {
    await env.proxy?.close();
    await env.emulator?.close();
  });
  return env;
}
