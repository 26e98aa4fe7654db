// `storyboard emulator`: serves the DashScope protocol locally (rendering with the preview renderer) so the
// dashscope backend can run end to end without an account.
import { previewRender } from '../../backends/emulator/preview-render.js';
import { startEmulator } from '../../backends/emulator/emulator-server.js';
import { resolveFfmpeg } from '../../media/ffmpeg-binaries.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';

/** Options of `storyboard emulator`. */
export interface EmulatorCommandOptions {
  readonly port: number;
  readonly apiKey?: string;
  readonly latency: number;
  readonly faults?: string;
  /** Simulated drift of image-to-video results, e.g. `cast=6,-2,-5;gain=1.04;blur=0.6` (issue 15; default none). */
  readonly drift?: string;
  readonly seed?: number;
  readonly timeScale?: number;
  readonly signal: AbortSignal;
}

/** `storyboard emulator`: serves the DashScope protocol on 127.0.0.1 until stopped, rendering with the preview renderer. */
export async function emulatorCommand(out: Output, options: EmulatorCommandOptions): Promise<number> {
  const tools = await resolveFfmpeg();
  let emulator;
  try {
    emulator = await startEmulator({
      port: options.port, latency: options.latency, render: previewRender(tools, options.drift ? { drift: options.drift } : {}), ffmpeg: tools,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}), ...(options.faults ? { faults: options.faults } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}), ...(options.timeScale ? { timeScale: options.timeScale } : {}),
    });
  } catch (e) {
    out.err(`storyboard: cannot start the emulator: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.usage;
  }
  out.out(`DashScope emulator listening on ${emulator.baseUrl}`);
  out.out(`use it with: DASHSCOPE_BASE_URL=${emulator.baseUrl} DASHSCOPE_API_KEY=${options.apiKey ?? 'sk-emulator'} storyboard render --backend dashscope <file>`);
  out.out(`stats: ${emulator.url}/_emulator/stats   (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await emulator.close();
  return EXIT.ok;
}
