// Drift measures on a simulated 6-hop chain made with ffmpeg (each hop a clip from the previous clip's last frame
// through a growing cast, exposure, contrast and blur drift), with colour matching toward the anchor off and on:
// the drift error on stays under a quarter of off at every hop, seams keep their SSIM, sharpness falls hop by hop.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyColourMatch, writeColourMatchLut } from '../src/media/colour-match.js';
import { matchCurves } from '../src/media/match-curves.js';
import { colourStatsOf, readColourStats } from '../src/media/colour-stats.js';
import type { ColourStats } from '../src/media/colour-stats.js';
import { colourError, measureDrift, readDrift, readDriftSample, seamSsim } from '../src/media/drift.js';
import type { DriftMeasures, DriftSample } from '../src/media/drift.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { extractLastFrame, runFfmpeg } from '../src/media/ffmpeg.js';
import { clipFromFrame, filterImage, HOP_DRIFT, makeAnchor } from './helpers/colour-media.js';

const HOPS = 6;
let dir: string;
let tools: FfmpegTools;
let anchor: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyboard-drift-'));
  tools = await resolveFfmpeg();
  anchor = join(dir, 'anchor.png');
  await makeAnchor(tools, anchor);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Statistics of a flat picture of one colour per channel, `spread` either side (half the pixels each way). */
function flatStats(r: number, g: number, b: number, spread = 0): ColourStats {
  const data = Uint8Array.from({ length: 3 * 100 }, (_, i) => ([r, g, b][i % 3] ?? 0) + (Math.floor(i / 3) % 2 ? spread : -spread));
  return colourStatsOf([{ width: 10, height: 10, format: 'rgb24', data }]);
}

describe('drift measures', () => {
  it('define the colour error as mean |Δ mean| plus mean |Δ std| over R, G, B, in levels', () => {
    expect(colourError(flatStats(110, 120, 130), flatStats(100, 100, 100))).toBeCloseTo((10 + 20 + 30) / 3, 9);
    expect(colourError(flatStats(100, 100, 100, 20), flatStats(100, 100, 100, 5))).toBeCloseTo(15, 9);
    expect(colourError(flatStats(90, 110, 100, 8), flatStats(100, 100, 100, 2))).toBeCloseTo(10 * 2 / 3 + 6, 9);
    const m = measureDrift({ stats: flatStats(110, 110, 110), sharpness: 30 }, { stats: flatStats(100, 100, 100), sharpness: 60 });
    expect(m).toMatchObject({ meanError: 10, stdError: 0, sharpnessRatio: 0.5 });
    expect(m.lumaDifference).toBeCloseTo(10, 9);
  });

  it('give an SSIM of 1 across a seam of identical frames and far less across a cut', async () => {
    const bars = join(dir, 'bars.png');
    await runFfmpeg(tools, ['-v', 'error', '-f', 'lavfi', '-i', 'smptebars=s=480x270', '-frames:v', '1', bars]);
    expect(await seamSsim(tools, { file: anchor, at: 'last' }, { file: anchor, at: 'first' })).toBe(1);
    expect(await seamSsim(tools, { file: anchor, at: 'last' }, { file: bars, at: 'first' })).toBeLessThan(0.7);
    // frames of another size are compared at the first one's
    const big = join(dir, 'anchor-big.png');
    await filterImage(tools, anchor, 'scale=960:540:flags=bicubic', big);
    expect(await seamSsim(tools, { file: anchor, at: 'last' }, { file: big, at: 'first' })).toBeGreaterThan(0.9);
  });

  it('on a simulated 6-hop chain: colour matching keeps the drift error under a quarter, seams keep their SSIM', async () => {
    const raw: string[] = [];
    let frame = anchor;
    for (let hop = 1; hop <= HOPS; hop++) {
      const clip = join(dir, `hop${hop}.mp4`);
      await clipFromFrame(tools, frame, HOP_DRIFT, clip);
      raw.push(clip);
      frame = join(dir, `hop${hop}.last.png`);
      await extractLastFrame(tools, clip, frame);
    }
    const anchorSample: DriftSample = await readDriftSample(tools, anchor);
    const matched: string[] = [];
    for (const [i, clip] of raw.entries()) {
      // toward the anchor, never toward the previous clip
      const lut = join(dir, `hop${i + 1}.cube`);
      await writeColourMatchLut(lut, matchCurves(await readColourStats(tools, clip), anchorSample.stats));
      matched.push(join(dir, `hop${i + 1}.matched.mp4`));
      await applyColourMatch(tools, clip, lut, matched[i] ?? '');
    }
    const off: DriftMeasures[] = [];
    const on: DriftMeasures[] = [];
    for (let i = 0; i < HOPS; i++) {
      off.push(await readDrift(tools, raw[i] ?? '', anchorSample));
      on.push(await readDrift(tools, matched[i] ?? '', anchorSample));
    }
    const seams = async (clips: string[]): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i + 1 < clips.length; i++) out.push(await seamSsim(tools, { file: clips[i] ?? '', at: 'last' }, { file: clips[i + 1] ?? '', at: 'first' }));
      return out;
    };
    const [seamsOff, seamsOn] = [await seams(raw), await seams(matched)];
    const f = (n: number): string => n.toFixed(2);
    console.log(['hop  error off → on (ratio)   luma off → on   sharpness off, on   seam SSIM off → on',
      ...off.map((o, i) => {
        const n = on[i] as DriftMeasures;
        const seam = i < HOPS - 1 ? `${seamsOff[i]?.toFixed(4)} → ${seamsOn[i]?.toFixed(4)}` : '';
        return `${i + 1}    ${f(o.colourError)} → ${f(n.colourError)} (${(n.colourError / o.colourError).toFixed(3)})   ${f(o.lumaDifference)} → ${f(n.lumaDifference)}   ${f(o.sharpnessRatio)}, ${f(n.sharpnessRatio)}   ${seam}`;
      })].join('\n'));

    // drift grows hop by hop when nothing corrects it
    for (let i = 1; i < HOPS; i++) expect(off[i]?.colourError).toBeGreaterThan(off[i - 1]?.colourError ?? 0);
    for (let i = 0; i < HOPS; i++) expect(on[i]?.colourError).toBeLessThan(0.25 * (off[i]?.colourError ?? 0));
    expect(Math.abs(on[HOPS - 1]?.lumaDifference ?? 99)).toBeLessThan(0.25 * Math.abs(off[HOPS - 1]?.lumaDifference ?? 0));
    // each clip corrected on its own must not open the seams (a wiggly curve per clip would)
    seamsOn.forEach((s, i) => expect(s).toBeGreaterThan((seamsOff[i] ?? 1) - 0.015));
    // colour matching does not restore detail: sharpness keeps falling hop by hop
    expect(off[HOPS - 1]?.sharpnessRatio).toBeLessThan(off[0]?.sharpnessRatio ?? 0);
    expect(off[0]?.sharpnessRatio).toBeLessThan(1);
  }, 180_000);
});
