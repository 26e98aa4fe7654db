// The render command's view of chain drift: the `drift` field of `render --json`'s summary (figures rounded to
// 4 decimals) and one line per chain for people.
import type { DriftReport } from '../../report/collect-drift.js';
import { anchorLabel } from '../../report/render-drift.js';

const round = (v: number): number | null => (Number.isFinite(v) ? Math.round(v * 10_000) / 10_000 : null);

/** `drift: { measure, chains: [{ root, anchor, colourMatch, clips: [{ id, hop, colourError, colourErrorMatched?, … }] }] }`. */
export function driftJson(drift: DriftReport): unknown {
  return {
    measure: drift.measure,
    chains: drift.chains.map((c) => ({
      root: c.root, anchor: c.anchor, colourMatch: c.colourMatch,
      clips: c.clips.map((x) => ({
        id: x.id, hop: x.hop, colourMatched: x.colourMatched, colourError: round(x.colourError),
        ...(x.colourErrorMatched === undefined ? {} : { colourErrorMatched: round(x.colourErrorMatched) }),
        lumaDifference: round(x.lumaDifference), mean: x.mean.map(round), std: x.std.map(round),
        sharpness: round(x.sharpness), sharpnessRatio: round(x.sharpnessRatio),
        seamSsim: x.seamSsim === undefined ? null : round(x.seamSsim), seamColourError: x.seamColourError === undefined ? null : round(x.seamColourError),
      })),
    })),
  };
}

/** One line per chain: its last hop's colour error against the anchor (as made, and after matching) and its lowest seam SSIM. */
export function driftLines(drift: DriftReport | undefined): string[] {
  return (drift?.chains ?? []).map((c) => {
    const last = c.clips.at(-1);
    const seams = c.clips.flatMap((x) => (x.seamSsim === undefined ? [] : [x.seamSsim]));
    const error = last ? `hop ${last.hop} colour error ${last.colourError.toFixed(2)}${last.colourErrorMatched === undefined ? '' : ` → ${last.colourErrorMatched.toFixed(2)} matched`}` : 'no clip measured';
    return `drift: chain ${c.root} (anchor: ${anchorLabel(c.anchor)}): ${error}${seams.length ? `; lowest seam SSIM ${Math.min(...seams).toFixed(4)}` : ''}`;
  });
}
