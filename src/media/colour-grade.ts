// A clip's colour grade toward its chain's anchor (issue 15): transfer curves from the clip's first kept frames and
// from its last frames to the anchor's colours, blended linearly over the clip in short stretches (a clip drifts as
// it goes: one curve would leave half its drift at either end and a jump at every seam), each stretch a content-named
// LUT, and the filter that applies them. Computed once per clip and anchor and recorded; the key names the result.
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { sha256Text } from '../io/hash.js';
import { cubeText, lut1dFilter } from './colour-match.js';
import { CHANNELS, readColourStats, type ColourStats } from './colour-stats.js';
import { matchCurves, type MatchCurvesOptions, type TransferCurves } from './match-curves.js';
import { ACCURATE_SWS, probePicture, type FramePick } from './read-frames.js';
import type { FfmpegTools } from './tools.js';

/** Bumped when the way a grade is computed changes: part of every grade's key. */
const GRADE_VERSION = 2;

/** One stretch of a graded clip: from frame `from` (at 30 fps, counted from the source's first frame) to the next's, one LUT. */
export interface GradeSegment {
  readonly from: number;
  readonly lut: string;
}

/**
 * A colour grade: the curves toward the anchor measured at the clip's start and at its end, blended linearly over
 * the clip in short stretches, each with its own LUT (one stretch: one LUT for the whole clip).
 */
export interface ColourGrade {
  /** Content key of the grade (every LUT and where it starts): what normalised pieces are keyed by. */
  readonly key: string;
  readonly segments: readonly GradeSegment[];
}

/** The picture a chain's colours are matched to: a still or image file, or a video (its frames sampled evenly). */
export interface GradeAnchor {
  readonly file: string;
  /** Content hash of `file`, keying the recorded grade. */
  readonly sha256: string;
  /** Its statistics, when the caller has read them already (a chain's clips share one anchor). */
  readonly stats?: ColourStats;
}

/** Options for {@link makeColourGrade}. */
export interface MakeColourGradeOptions {
  /** Where LUTs and grade records are kept (created when missing). */
  readonly dir: string;
  /** Seconds at the clip's start the film drops (carried footage): measured from the first kept frame. */
  readonly skip?: number;
  /** Curve options (default: slopes 0.6–1.7, see GRADE_CURVES). */
  readonly curves?: MatchCurvesOptions;
  readonly signal?: AbortSignal;
}

/**
 * Curve slopes a grade keeps to unless asked otherwise: drift is a cast, an exposure or contrast change of tens of per
 * cent, not another picture's look; flatter or steeper curves crush or stretch detail. Matching a preview clip (text,
 * timecode, frame codes over the picture) to a bare keyframe with the library's wider defaults (0.25–3) flattened its
 * frame codes until they no longer read.
 */
const GRADE_CURVES: MatchCurvesOptions = { minSlope: 0.6, maxSlope: 1.7 };

/** Share of the kept footage at either end whose frames stand for the clip's start and end colours. */
const END_SHARE = 0.1;
/** Kept footage shorter than this gets one LUT for the whole clip. */
const MIN_RAMP_SECONDS = 1;
/** The ramp in at most this many stretches of at least `MIN_STRETCH` frames (a 2 s clip: 15 of 4 frames; 15 s: 32 of 14). */
const MAX_STRETCHES = 32;
const MIN_STRETCH = 4;
const FPS = 30;

/**
 * The grade taking clip `clip` (content hash `clipSha256`) toward `anchor`: reused from `dir` when recorded for the
 * same clip, anchor and settings (and its LUTs still hold what their names say), otherwise measured and written.
 */
export async function makeColourGrade(tools: FfmpegTools, clip: string, clipSha256: string, anchor: GradeAnchor, options: MakeColourGradeOptions): Promise<ColourGrade> {
  const skip = options.skip ?? 0;
  const curves = options.curves ?? GRADE_CURVES;
  const inputs = sha256Text(JSON.stringify({ v: GRADE_VERSION, clip: clipSha256, anchor: anchor.sha256, skip, curves })).slice(0, 40);
  const record = join(options.dir, `${inputs}.grade.json`);
  const recorded = await readGrade(record, options.dir);
  if (recorded) return recorded;
  const signal = options.signal ? { signal: options.signal } : {};
  const target = anchor.stats ?? (await readColourStats(tools, anchor.file, signal));
  const source = await probePicture(tools, clip, options.signal);
  const duration = source.duration ?? 0;
  const kept = duration - skip;
  const span = kept * END_SHARE;
  const curvesAt = async (at: FramePick[] | undefined): Promise<TransferCurves> =>
    matchCurves(await readColourStats(tools, clip, { ...(at ? { at } : { frames: 5 }), ...signal }), target, curves);
  let stretches: { from: number; text: string }[];
  if (kept < MIN_RAMP_SECONDS) stretches = [{ from: 0, text: cubeText(await curvesAt(undefined)) }];
  else {
    const start = await curvesAt([skip, skip + span / 2, skip + span]);
    const end = await curvesAt([duration - span, duration - span / 2, 'last']);
    stretches = rampStretches(start, end, { first: Math.round(skip * FPS), frames: Math.round(duration * FPS), from: skip + span / 2, to: duration - span / 2 });
  }
  await mkdir(options.dir, { recursive: true });
  const segments = await Promise.all(stretches.map(async (x) => ({ from: x.from, lut: await writeLut(options.dir, x.text) })));
  const named = segments.map((x) => ({ from: x.from, lut: basename(x.lut) }));
  const key = sha256Text(JSON.stringify({ v: GRADE_VERSION, segments: named })).slice(0, 40);
  await writeFileAtomic(record, JSON.stringify({ key, segments: named }) + '\n');
  return { key, segments };
}

/**
 * The ramp from `start` (fully up to second `from`) to `end` (fully from second `to` on) in stretches of frames
 * from the first kept frame: each stretch's curves are the blend at its middle; equal neighbours are merged.
 */
function rampStretches(start: TransferCurves, end: TransferCurves, at: { first: number; frames: number; from: number; to: number }): { from: number; text: string }[] {
  const length = Math.max(MIN_STRETCH, Math.ceil((at.frames - at.first) / MAX_STRETCHES));
  const out: { from: number; text: string }[] = [];
  for (let f = at.first; f < at.frames; f += length) {
    const middle = (f + Math.min(at.frames, f + length)) / 2 / FPS;
    const w = Math.min(1, Math.max(0, (middle - at.from) / Math.max(1e-9, at.to - at.from)));
    const blend = Object.fromEntries(CHANNELS.map((c) => [c, start[c].map((v, i) => (1 - w) * v + w * (end[c][i] ?? v))])) as unknown as TransferCurves;
    const text = cubeText(blend);
    // the first stretch also covers the dropped frames before the first kept one
    if (out.at(-1)?.text !== text) out.push({ from: out.length === 0 ? 0 : f, text });
  }
  return out;
}

/** A LUT's file name: its content's hash, so a LUT is written once and checked against its name on reading. */
function lutName(text: string): string {
  return `${sha256Text(text).slice(0, 40)}.cube`;
}

async function writeLut(dir: string, text: string): Promise<string> {
  const file = join(dir, lutName(text));
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== text) await writeFileAtomic(file, text);
  return file;
}

/** A recorded grade whose LUTs are intact, else undefined (then it is measured and written again). */
async function readGrade(record: string, dir: string): Promise<ColourGrade | undefined> {
  try {
    const r = JSON.parse(await readFile(record, 'utf8')) as { key: string; segments: { from: number; lut: string }[] };
    if (typeof r.key !== 'string' || !Array.isArray(r.segments) || r.segments.length === 0) return undefined;
    for (const x of r.segments) {
      if (!Number.isInteger(x.from) || !/^[0-9a-f]{40}\.cube$/.test(x.lut) || lutName(await readFile(join(dir, x.lut), 'utf8')) !== x.lut) return undefined;
    }
    return { key: r.key, segments: r.segments.map((x) => ({ from: x.from, lut: join(dir, x.lut) })) };
  } catch {
    return undefined;
  }
}

/**
 * Filter text applying `grade` at this point of a chain (frames at 30 fps, counted from the source's first), and
 * continuing the chain in yuv420p. To 8-bit planar RGB with accurate rounding; each stretch of frames cut out
 * (trim), through its LUT, and the stretches joined again (concat): every frame goes through exactly one LUT.
 * `label` makes the internal pad names unique within the graph.
 */
export function colourGradeFilter(grade: ColourGrade, label: string): string {
  const toRgb = `scale=flags=${ACCURATE_SWS},format=gbrp`;
  const back = `scale=flags=${ACCURATE_SWS},format=yuv420p`;
  const [only] = grade.segments;
  if (grade.segments.length === 1 && only) return [toRgb, lut1dFilter(only.lut), back].join(',');
  const pads = grade.segments.map((_, i) => `[${label}s${i}]`);
  const stretches = grade.segments.map((x, i) => {
    const next = grade.segments[i + 1];
    const trim = `trim=start_frame=${x.from}${next ? `:end_frame=${next.from}` : ''}`;
    return `${pads[i]}${trim},setpts=PTS-STARTPTS,${lut1dFilter(x.lut)}[${label}g${i}]`;
  });
  const joined = grade.segments.map((_, i) => `[${label}g${i}]`).join('');
  return `${toRgb},split=${pads.length}${pads.join('')};${stretches.join(';')};${joined}concat=n=${pads.length}:v=1:a=0,${back}`;
}
