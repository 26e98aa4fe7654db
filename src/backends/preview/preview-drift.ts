// Simulated drift (issue 15, off unless asked for): a clip from a first-frame image ends one hop of colour cast,
// gain and blur away from it, as image-to-video models drift along a chain. Pure: spec parser, version text, filters.
import { filter, formatNumber } from './preview-filters.js';

/** One hop of drift: what the last frame of a clip carries relative to its first-frame image. */
export interface PreviewDrift {
  /** Added to R, G and B (0–255 units) per hop. */
  readonly cast: readonly [number, number, number];
  /** Exposure: R, G and B multiplied by this per hop (1: none). */
  readonly gain: number;
  /** Gaussian blur sigma in pixels of the clip per hop (0: none). */
  readonly blur: number;
}

/** The environment variable the CLI reads to render previews with drift (tests), e.g. `cast=6,-2,-5;gain=1.04;blur=0.6`. */
export const PREVIEW_DRIFT_ENV = 'STORYBOARD_PREVIEW_DRIFT';

const LIMITS = { cast: 64, gainMin: 0.5, gainMax: 2, blur: 8 } as const;

/**
 * Parses `cast=6,-2,-5;gain=1.04;blur=0.6` (`name:value` and a leading `drift=` are accepted too, as in an emulator
 * option: `drift=cast:6,-2,-5;gain:1.04;blur:0.6`; any part may be left out). Throws on unknown names or values out of range. A spec that changes nothing gives undefined (off).
 */
export function parseDrift(spec: string): PreviewDrift | undefined {
  let cast: [number, number, number] = [0, 0, 0];
  let gain = 1;
  let blur = 0;
  // `drift=…` as in an emulator fault-style spec
  for (const item of spec.trim().replace(/^drift\s*=\s*/, '').split(';').map((s) => s.trim()).filter(Boolean)) {
    const match = /^(cast|gain|blur)\s*[=:]\s*(.+)$/.exec(item);
    const bad = (why: string): Error => new Error(`Bad drift spec "${item}": ${why} (e.g. cast=6,-2,-5;gain=1.04;blur=0.6)`);
    if (!match) throw bad('expected cast=R,G,B, gain=G or blur=SIGMA');
    const values = (match[2] ?? '').split(',').map((v) => (v.trim() === '' ? Number.NaN : Number(v)));
    if (values.some((v) => !Number.isFinite(v))) throw bad('not a number');
    if (match[1] === 'cast') {
      if (values.length !== 3 || values.some((v) => Math.abs(v) > LIMITS.cast)) throw bad(`cast takes three numbers from -${LIMITS.cast} to ${LIMITS.cast}`);
      cast = values as [number, number, number];
    } else if (values.length !== 1) {
      throw bad(`${match[1]} takes one number`);
    } else if (match[1] === 'gain') {
      gain = values[0] ?? 1;
      if (gain < LIMITS.gainMin || gain > LIMITS.gainMax) throw bad(`gain goes from ${LIMITS.gainMin} to ${LIMITS.gainMax}`);
    } else {
      blur = values[0] ?? 0;
      if (blur < 0 || blur > LIMITS.blur) throw bad(`blur goes from 0 to ${LIMITS.blur}`);
    }
  }
  return checkedDrift({ cast, gain, blur });
}

/** A drift given as an object, checked like a spec; undefined when it changes nothing. */
export function checkedDrift(drift: PreviewDrift | undefined): PreviewDrift | undefined {
  if (drift === undefined) return undefined;
  if (drift.cast.length !== 3 || [...drift.cast, drift.gain, drift.blur].some((v) => !Number.isFinite(v))) throw new Error(`Bad drift ${JSON.stringify(drift)}`);
  const spec = driftSpec(drift);
  if (drift.cast.some((v) => Math.abs(v) > LIMITS.cast) || drift.gain < LIMITS.gainMin || drift.gain > LIMITS.gainMax || drift.blur < 0 || drift.blur > LIMITS.blur) {
    throw new Error(`Bad drift ${spec}: cast within ±${LIMITS.cast}, gain ${LIMITS.gainMin}–${LIMITS.gainMax}, blur 0–${LIMITS.blur}`);
  }
  const neutral = drift.cast.every((v) => v === 0) && drift.gain === 1 && drift.blur === 0;
  return neutral ? undefined : { cast: [drift.cast[0], drift.cast[1], drift.cast[2]], gain: drift.gain, blur: drift.blur };
}

/** The canonical spec of a drift (`cast=6,-2,-5;gain=1.04;blur=0.6`): what the backend version carries. */
export function driftSpec(drift: PreviewDrift): string {
  return `cast=${drift.cast.map(formatNumber).join(',')};gain=${formatNumber(drift.gain)};blur=${formatNumber(drift.blur)}`;
}

/** The drift of an environment (`STORYBOARD_PREVIEW_DRIFT`), or undefined when unset or empty; throws on a bad spec. */
export function driftFromEnv(env: Readonly<Record<string, string | undefined>>): PreviewDrift | undefined {
  const spec = env[PREVIEW_DRIFT_ENV];
  if (spec === undefined || spec.trim() === '') return undefined;
  try {
    return parseDrift(spec);
  } catch (error) {
    throw new Error(`${PREVIEW_DRIFT_ENV}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** BT.601 limited range: Y, U and V as weights of R, G and B (what `format=yuv420p` uses for the first-frame image). */
const YUV_OF_RGB = {
  y: [0.257, 0.504, 0.098],
  u: [-0.148, -0.291, 0.439],
  v: [0.439, -0.368, -0.071],
} as const;

/**
 * One hop of drift on a yuv420p picture, in YUV directly: RGB' = gain·RGB + cast is, on limited-range BT.601,
 * Y' − 16 = gain·(Y − 16) + y·cast, and the same about 128 for U and V (no RGB round trip), then the blur.
 */
function hopFilters(drift: PreviewDrift): string[] {
  const offset = (plane: keyof typeof YUV_OF_RGB): number => YUV_OF_RGB[plane].reduce((sum, w, i) => sum + w * (drift.cast[i] ?? 0), 0);
  // rounded, not truncated as lutyuv would (a bias of half a level a hop), and kept to the legal range
  const lut = (plane: keyof typeof YUV_OF_RGB, base: number): string =>
    `clip(round(${base}+(val-${base})*${formatNumber(drift.gain)}+${formatNumber(offset(plane))}),minval,maxval)`;
  return [
    filter('lutyuv', { y: lut('y', 16), u: lut('u', 128), v: lut('v', 128) }),
    ...(drift.blur > 0 ? [filter('gblur', { sigma: drift.blur })] : []),
  ];
}

/**
 * Chains taking `input` (the moving first-frame picture, `frames` frames) to `output`: the drifted copy laid over
 * it with an opacity growing from 0 on the first frame (the image exactly) to 1 on the last (one whole hop).
 */
export function driftChains(drift: PreviewDrift, frames: number, input: string, output: string): string[] {
  return [
    `${input}split[driftplain][driftsrc]`,
    `[driftsrc]${[...hopFilters(drift), filter('format', { pix_fmts: 'yuva420p' }), filter('fade', { t: 'in', s: 0, n: Math.max(1, frames - 1), alpha: 1 })].join(',')}[drifted]`,
    `[driftplain][drifted]${filter('overlay', { x: 0, y: 0, format: 'yuv420', eof_action: 'pass' })}${output}`,
  ];
}
