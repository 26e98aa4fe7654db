// A clip's colour grade toward its chain's anchor (issue 15): transfer curves from the clip's first kept frames and
// from its last frames to the anchor's colours, written as two content-named LUTs, and the filter that applies them
// with a linear ramp between them over the clip (a clip drifts as it goes, so one curve would leave half its drift at
// either end and a jump at every seam). Computed once per clip and anchor and recorded; the key names the result.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { sha256Text } from '../io/hash.js';
import { cubeText, lut1dFilter } from './colour-match.js';
import { readColourStats, type ColourStats } from './colour-stats.js';
import { matchCurves, type MatchCurvesOptions } from './match-curves.js';
import { ACCURATE_SWS, probePicture, type FramePick } from './read-frames.js';
import type { FfmpegTools } from './tools.js';

/** Bumped when the way a grade is computed changes: part of every grade's key. */
const GRADE_VERSION = 1;

/** A colour grade: LUTs at two times of the source clip, blended linearly between them (the same file twice: one LUT). */
export interface ColourGrade {
  /** Content key of the grade (both LUTs and the ramp): what normalised pieces are keyed by. */
  readonly key: string;
  readonly start: string;
  readonly end: string;
  /** Seconds of the source clip: `start` applies fully up to `from`, `end` from `to` on. */
  readonly from: number;
  readonly to: number;
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
  readonly curves?: MatchCurvesOptions;
  readonly signal?: AbortSignal;
}

/** Share of the kept footage at either end whose frames stand for the clip's start and end colours. */
const END_SHARE = 0.1;
/** Kept footage shorter than this gets one LUT for the whole clip. */
const MIN_RAMP_SECONDS = 1;

/**
 * The grade taking clip `clip` (content hash `clipSha256`) toward `anchor`: reused from `dir` when recorded for the
 * same clip, anchor and settings (and its LUTs still hold what their names say), otherwise measured and written.
 */
export async function makeColourGrade(tools: FfmpegTools, clip: string, clipSha256: string, anchor: GradeAnchor, options: MakeColourGradeOptions): Promise<ColourGrade> {
  const skip = options.skip ?? 0;
  const inputs = sha256Text(JSON.stringify({ v: GRADE_VERSION, clip: clipSha256, anchor: anchor.sha256, skip, curves: options.curves ?? {} })).slice(0, 40);
  const record = join(options.dir, `${inputs}.grade.json`);
  const recorded = await readGrade(record, options.dir);
  if (recorded) return recorded;
  const signal = options.signal ? { signal: options.signal } : {};
  const target = anchor.stats ?? (await readColourStats(tools, anchor.file, signal));
  const source = await probePicture(tools, clip, options.signal);
  const duration = source.duration ?? 0;
  const kept = duration - skip;
  const ramp = kept >= MIN_RAMP_SECONDS;
  const span = kept * END_SHARE;
  const startPicks: FramePick[] = ramp ? [skip, skip + span / 2, skip + span] : [];
  const endPicks: FramePick[] = [duration - span, duration - span / 2, 'last'];
  const curvesAt = async (at: FramePick[]): Promise<string> =>
    cubeText(matchCurves(await readColourStats(tools, clip, { ...(at.length ? { at } : { frames: 5 }), ...signal }), target, options.curves));
  const startCube = await curvesAt(startPicks);
  const endCube = ramp ? await curvesAt(endPicks) : startCube;
  await mkdir(options.dir, { recursive: true });
  const [start, end] = await Promise.all([startCube, endCube].map((text) => writeLut(options.dir, text)));
  const from = ramp ? skip + span / 2 : 0;
  const to = ramp ? duration - span / 2 : 0;
  const key = sha256Text(JSON.stringify({ v: GRADE_VERSION, start: lutName(startCube), end: lutName(endCube), from, to })).slice(0, 40);
  const grade: ColourGrade = { key, start: start ?? '', end: end ?? '', from, to };
  await writeFileAtomic(record, JSON.stringify({ key, start: lutName(startCube), end: lutName(endCube), from, to }) + '\n');
  return grade;
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
    const r = JSON.parse(await readFile(record, 'utf8')) as { key: string; start: string; end: string; from: number; to: number };
    for (const name of [r.start, r.end]) {
      if (!/^[0-9a-f]{40}\.cube$/.test(name) || lutName(await readFile(join(dir, name), 'utf8')) !== name) return undefined;
    }
    if (typeof r.key !== 'string' || !Number.isFinite(r.from) || !Number.isFinite(r.to)) return undefined;
    return { key: r.key, start: join(dir, r.start), end: join(dir, r.end), from: r.from, to: r.to };
  } catch {
    return undefined;
  }
}

/**
 * Filter text applying `grade` to the stream at this point of a chain (its timestamps from 0 at the source's
 * start), and continuing the chain in yuv420p. `label` makes its internal pad names unique within the graph.
 * To 8-bit planar RGB with accurate rounding, each LUT, the end LUT's copy faded in over [from, to] and laid over.
 */
export function colourGradeFilter(grade: ColourGrade, label: string): string {
  const toRgb = `scale=flags=${ACCURATE_SWS},format=gbrp`;
  const back = `scale=flags=${ACCURATE_SWS},format=yuv420p`;
  if (grade.start === grade.end || grade.to <= grade.from) return [toRgb, lut1dFilter(grade.end), back].join(',');
  const [a, b, s, e] = ['a', 'b', 's', 'e'].map((x) => `[${label}${x}]`);
  const fade = `fade=t=in:st=${grade.from.toFixed(6)}:d=${(grade.to - grade.from).toFixed(6)}:alpha=1`;
  return `${toRgb},split${a}${b};${a}${lut1dFilter(grade.start)}${s};${b}${lut1dFilter(grade.end)},format=gbrap,${fade}${e};${s}${e}overlay=format=gbrp:eof_action=pass,${back}`;
}
