// Colour matching toward an anchor on pictures made with ffmpeg: a cast image matched back to the anchor (colour
// error cut ≥ 4×), an image matched to itself (identity), the LUT parsed and applied by ffmpeg (luma moves to the
// anchor's), no banding on a smooth gradient, and curves that stay monotone and in range.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyColourMatch, colourMatchFilter, cubeText, writeColourMatchLut } from '../src/media/colour-match.js';
import { curveDeviation, identityCurves, matchCurves } from '../src/media/match-curves.js';
import type { MatchCurvesOptions, TransferCurves } from '../src/media/match-curves.js';
import { CHANNELS, colourStatsOf, readColourStats } from '../src/media/colour-stats.js';
import type { ColourStats } from '../src/media/colour-stats.js';
import { colourError } from '../src/media/drift.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { clipFromFrame, filterImage, HOP_DRIFT, makeAnchor } from './helpers/colour-media.js';
import { decodePictures } from './helpers/rgb-frames.js';

let dir: string;
let tools: FfmpegTools;
let anchor: string;
let anchorStats: ColourStats;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'storyboard-colour-match-'));
  tools = await resolveFfmpeg();
  anchor = join(dir, 'anchor.png');
  await makeAnchor(tools, anchor);
  anchorStats = await readColourStats(tools, anchor);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Matches `file` toward the anchor: its curves, written as a LUT and applied to a copy; the copy's statistics. */
async function matchToAnchor(file: string, name: string, options: MatchCurvesOptions = {}): Promise<{ curves: TransferCurves; lut: string; out: string; after: ColourStats }> {
  const curves = matchCurves(await readColourStats(tools, file), anchorStats, options);
  const lut = join(dir, `${name}.cube`);
  await writeColourMatchLut(lut, curves);
  const out = join(dir, name + (file.endsWith('.png') ? '.png' : '.mp4'));
  await applyColourMatch(tools, file, lut, out);
  return { curves, lut, out, after: await readColourStats(tools, out) };
}

/** A 1024×16 picture whose every channel ramps through all 256 levels, four pixels a level. */
async function gradient(): Promise<string> {
  const png = join(dir, 'gradient.png');
  await runFfmpeg(tools, ['-v', 'error', '-f', 'lavfi', '-i', 'color=black:s=1024x16', '-vf', "format=rgb24,geq=r='floor(X/4)':g='floor(X/4)':b='255-floor(X/4)'", '-frames:v', '1', png]);
  return png;
}

/** The widest run of empty levels between the lowest and highest level used, over the three channels. */
function widestGap(stats: ColourStats): number {
  return Math.max(...CHANNELS.map((c) => {
    const used = stats[c].histogram.flatMap((n, level) => (n > 0 ? [level] : []));
    return Math.max(0, ...used.slice(1).map((level, i) => level - (used[i] ?? level) - 1));
  }));
}

/** Statistics whose every histogram is `stats`' moved up by `levels` (clipped at 255). */
function flatShift(stats: ColourStats, levels: number): ColourStats {
  const shift = (h: readonly number[]): number[] => h.map((_, v) => (v < levels ? 0 : (h[v - levels] ?? 0)));
  return { ...stats, r: { ...stats.r, histogram: shift(stats.r.histogram) }, g: { ...stats.g, histogram: shift(stats.g.histogram) }, b: { ...stats.b, histogram: shift(stats.b.histogram) } };
}

describe('colour matching', () => {
  it('takes a cast image back toward the anchor: colour error cut at least 4×', async () => {
    const cast = join(dir, 'cast.png');
    await filterImage(tools, anchor, 'colorbalance=rs=0.15:bs=-0.12:rm=0.1:bm=-0.08,eq=gamma=1.2:brightness=0.05:contrast=0.85', cast);
    const before = colourError(await readColourStats(tools, cast), anchorStats);
    const { after } = await matchToAnchor(cast, 'cast-matched');
    const error = colourError(after, anchorStats);
    console.log(`cast image: colour error ${before.toFixed(2)} → ${error.toFixed(2)} (${(error / before).toFixed(3)} ×); luma ${anchorStats.luma.toFixed(1)} anchor, ${after.luma.toFixed(1)} matched`);
    expect(before).toBeGreaterThan(20);
    expect(error).toBeLessThan(0.25 * before);
  });

  it('is the identity for an image matched to itself (no level moves more than 1)', async () => {
    const curves = matchCurves(anchorStats, anchorStats);
    expect(curveDeviation(curves)).toBeLessThanOrEqual(1);
    const { after } = await matchToAnchor(anchor, 'self');
    expect(colourError(after, anchorStats)).toBeLessThan(0.5);
  });

  it('writes a LUT ffmpeg parses, and applying it to a drifted clip brings its mean luma to the anchor', async () => {
    const clip = join(dir, 'drifted.mp4');
    await clipFromFrame(tools, anchor, `${HOP_DRIFT},${HOP_DRIFT},${HOP_DRIFT}`, clip);
    const before = await readColourStats(tools, clip);
    const { lut, after } = await matchToAnchor(clip, 'drifted-matched');
    expect(await readFile(lut, 'utf8')).toMatch(/^LUT_1D_SIZE 256$/m);
    console.log(`drifted clip: mean luma ${before.luma.toFixed(1)} → ${after.luma.toFixed(1)} (anchor ${anchorStats.luma.toFixed(1)}); colour error ${colourError(before, anchorStats).toFixed(2)} → ${colourError(after, anchorStats).toFixed(2)}`);
    expect(Math.abs(before.luma - anchorStats.luma)).toBeGreaterThan(10);
    expect(Math.abs(after.luma - anchorStats.luma)).toBeLessThan(0.25 * Math.abs(before.luma - anchorStats.luma));
  });

  it('leaves every level where it was with the identity LUT (lut1d truncates: entries carry half a level)', async () => {
    const png = await gradient();
    const lut = join(dir, 'identity.cube');
    await writeColourMatchLut(lut, identityCurves());
    const out = join(dir, 'gradient-identity.png');
    await applyColourMatch(tools, png, lut, out);
    const [a] = await decodePictures(tools, png, { width: 1024, height: 16 });
    const [b] = await decodePictures(tools, out, { width: 1024, height: 16 });
    expect(Buffer.from(b?.data ?? []).equals(Buffer.from(a?.data ?? [1]))).toBe(true);
  });

  it('makes no banding on a smooth gradient, even from a flat clip to a contrasty anchor', async () => {
    const flat = join(dir, 'flat.png');
    await filterImage(tools, anchor, 'eq=contrast=0.35', flat);
    const png = await gradient();
    const gaps = async (name: string, options: MatchCurvesOptions): Promise<number> => {
      const curves = matchCurves(await readColourStats(tools, flat), anchorStats, options);
      const lut = join(dir, `${name}.cube`);
      await writeColourMatchLut(lut, curves);
      const out = join(dir, `${name}.png`);
      await applyColourMatch(tools, png, lut, out);
      return widestGap(await readColourStats(tools, out, { size: 'source' }));
    };
    const limited = await gaps('banding-default', {});
    const unsmoothed = await gaps('banding-unsmoothed', { smoothing: 0 });
    const raw = await gaps('banding-raw', { smoothing: 0, maxSlope: 255, minSlope: 0, moments: false });
    console.log(`gradient through the flat → anchor curves: widest gap ${limited} levels (default), ${unsmoothed} (slope limit alone), ${raw} (unsmoothed, unlimited)`);
    expect(limited).toBeLessThanOrEqual(2);
    // the slope limit alone is enough (smoothing is there for seams, not banding)
    expect(unsmoothed).toBeLessThanOrEqual(2);
    expect(raw).toBeGreaterThan(2);
  });

  it('blends with the identity by strength: 0 changes nothing, ½ goes half way', () => {
    const cast = flatShift(anchorStats, 30);
    const full = matchCurves(cast, anchorStats);
    expect(curveDeviation(matchCurves(cast, anchorStats, { strength: 0 }))).toBe(0);
    const half = matchCurves(cast, anchorStats, { strength: 0.5 });
    // (where the full curve is not clipped at 0 or 255)
    for (const c of CHANNELS) {
      half[c].forEach((out, v) => {
        const whole = full[c][v] ?? v;
        if (whole > 0 && whole < 255) expect(out).toBeCloseTo(v + (whole - v) / 2, 6);
      });
    }
    expect(curveDeviation(full)).toBeGreaterThan(25);
  });

  it('gives monotone curves within 0–255, with a slope within the limits, for any histograms', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const histogram = (): ColourStats => {
      const frame = Uint8Array.from({ length: 3 * 400 }, () => Math.floor(random() ** (1 + 3 * random()) * 256));
      return colourStatsOf([{ width: 20, height: 20, format: 'rgb24', data: frame }]);
    };
    for (let i = 0; i < 40; i++) {
      const curves = matchCurves(histogram(), histogram(), i % 2 ? { smoothing: 0 } : {});
      for (const c of CHANNELS) {
        const curve = curves[c];
        expect(curve).toHaveLength(256);
        curve.forEach((out, v) => {
          expect(out).toBeGreaterThanOrEqual(0);
          expect(out).toBeLessThanOrEqual(255);
          if (v > 0) expect(out - (curve[v - 1] ?? 0)).toBeGreaterThanOrEqual(0);
          if (v > 0) expect(out - (curve[v - 1] ?? 0)).toBeLessThanOrEqual(3 + 1e-9);
        });
      }
    }
  });

  it('builds a filter ffmpeg can parse whatever the LUT path holds', async () => {
    const awkward = join(dir, "it's a: [dir], with; commas");
    await mkdir(awkward);
    const lut = join(awkward, 'match.cube');
    await writeColourMatchLut(lut, identityCurves());
    expect(colourMatchFilter(lut)).toContain('lut1d=file=');
    const out = join(dir, 'awkward.png');
    await applyColourMatch(tools, anchor, lut, out);
    expect(colourError(await readColourStats(tools, out), anchorStats)).toBeLessThan(0.5);
  });

  it('writes one line per level, output level + ½ over 255', () => {
    const lines = cubeText(identityCurves()).trimEnd().split('\n');
    expect(lines.filter((l) => /^[\d.]+ [\d.]+ [\d.]+$/.test(l))).toHaveLength(256);
    expect(lines.at(-256)).toBe('0.001961 0.001961 0.001961');
    expect(lines.at(-1)).toBe('1.001961 1.001961 1.001961');
  });
});
