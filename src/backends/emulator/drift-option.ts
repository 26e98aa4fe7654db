// The emulator's `drift` option (issue 15): result videos drawn by the preview renderer with simulated drift,
// so an image-to-video chain through the emulator drifts hop by hop as real models do. Checked before start-up.
import { resolveFfmpeg } from '../../media/ffmpeg-binaries.js';
import { parseDrift } from '../preview/preview-drift.js';
import { previewRender } from './preview-render.js';
import type { EmulatorOptions, EmulatorRender } from './types.js';

/**
 * The options with `drift` turned into a render: the preview render with that drift, on the given ffmpeg or one
 * resolved on first use. Throws on a bad spec, or when a render is given too (it would not draw the drift).
 */
export function withDriftRender(options: EmulatorOptions): EmulatorOptions {
  if (options.drift === undefined) return options;
  if (options.render) throw new Error('the emulator draws drift with its preview render: pass previewRender(tools, { drift }) as render, or drift alone');
  const drift = typeof options.drift === 'string' ? parseDrift(options.drift) : options.drift;
  const given = options.ffmpeg;
  let render: Promise<EmulatorRender> | undefined;
  const drifting: EmulatorRender = async (job, outFile, signal) => {
    render ??= (given ? Promise.resolve(given) : resolveFfmpeg()).then((tools) => previewRender(tools, drift ? { drift } : {}));
    return (await render)(job, outFile, signal);
  };
  return { ...options, render: drifting };
}
