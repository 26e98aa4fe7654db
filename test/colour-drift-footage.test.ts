// Drift control on footage that is not the preview's: a backend that films a moving texture (no text, no frame
// codes) and lets each hop of a chain drift a little more (a colour cast and a gain growing with the hop, the way
// chained generations drift). A 5-clip chain with `colour_match: true` toward its first clip renders, the film is
// checked, and the drift the render reports (measured on the film, which carries no frame codes) shows every
// matched clip far closer to the anchor than as made, with the seams kept; the measures agree with the drift given.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, RenderRequest } from '../src/backends/backend.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { renderStoryboard } from '../src/render/render-storyboard.js';

const HOPS = 4;

/** A camera on a slowly moving texture; hop k of a chain is cast toward red and brightened by k steps. */
function cameraBackend(): Backend {
  return {
    name: 'camera', paid: false, version: '1', concurrency: () => 2,
    async render(req: RenderRequest) {
      const hop = req.job.chain?.hop ?? 0;
      const d = req.job.expected.duration;
      const texture = "geq=r='120+40*sin(X/23+T*0.7)*cos(Y/17)':g='110+35*sin(X/31-T*0.5+Y/29)':b='100+30*cos(X/19+Y/41+T*0.3)'";
      const drift = `colorbalance=rm=${(0.04 * hop).toFixed(2)}:bm=${(-0.04 * hop).toFixed(2)},eq=brightness=${(0.03 * hop).toFixed(2)}:contrast=${(1 + 0.05 * hop).toFixed(2)}`;
      await runFfmpeg(req.ffmpeg, ['-f', 'lavfi', '-i', `nullsrc=s=640x360:r=30:d=${d},format=gbrp,${texture},${drift},scale=1280:720`,
        '-frames:v', String(Math.round(d * 30)), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-threads', '1', req.outFile], { signal: req.signal });
      return {};
    },
  };
}

const STORYBOARD = ['version: 1', 'title: Footage', 'defaults: { model: wan2.7-i2v, resolution: 720P, colour_match: true, audio: false }', 'scenes:',
  '  - { id: h0, model: wan2.7-t2v, duration: 2, prompt: "a wall of moss in the wind." }',
  ...Array.from({ length: HOPS }, (_, k) => `  - { id: h${k + 1}, continues: h${k}, duration: 2, prompt: "the take goes on." }`)].join('\n') + '\n';

let tools: FfmpegTools;
let dir: string;
beforeAll(async () => {
  tools = await resolveFfmpeg();
  dir = await mkdtemp(join(tmpdir(), 'sb-footage-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('colour matching footage without frame codes', () => {
  it('brings every hop back toward the first clip, measured on the film', async () => {
    const file = join(dir, 'film.yaml');
    await writeFile(file, STORYBOARD);
    const r = await renderStoryboard(file, { backend: cameraBackend(), tools });
    if (r.status !== 'rendered') throw new Error(`render ${r.status}`);
    expect(r.failures).toEqual([]);
    expect(r.verification?.problems).toEqual([]);
    expect(r.driftError).toBeUndefined();
    const chain = r.drift?.chains[0];
    expect(chain?.root).toBe('h0');
    expect(chain?.clips.map((c) => [c.id, c.hop, c.colourMatched])).toEqual([['h0', 0, false], ...Array.from({ length: HOPS }, (_, k) => [`h${k + 1}`, k + 1, true])]);
    const made = chain?.clips.map((c) => c.colourError) ?? [];
    const matched = chain?.clips.slice(1).map((c) => c.colourErrorMatched ?? NaN) ?? [];
    console.log(`footage chain colour error as made ${made.map((e) => e.toFixed(2)).join(', ')}; matched ${matched.map((e) => e.toFixed(2)).join(', ')}`);
    // the measure sees the drift given: it grows hop by hop
    for (let k = 2; k < made.length; k++) expect(made[k] ?? 0).toBeGreaterThan(made[k - 1] ?? 0);
    // matched toward the first clip: each hop well within a quarter of its drift as made
    matched.forEach((e, k) => expect(e).toBeLessThan(0.25 * (made[k + 1] ?? 0)));
    for (const c of chain?.clips.slice(1) ?? []) expect(c.seamSsim ?? 0).toBeGreaterThan(0.5);
  }, 180_000);
});
