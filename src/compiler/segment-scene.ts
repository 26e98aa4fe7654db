// Splits a scene into the clips its model can make: shots packed into multi-shot clips, long shots chained as
// continuation clips.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { addSeconds, formatSeconds } from './format-seconds.js';
import { describeDuration, durationAllowed, findModel, maxDuration } from './models/registry.js';
import type { ModelSpec } from './models/types.js';
import { splitSeconds } from './split-seconds.js';
import type { Scene, Shot } from './storyboard.js';

/** A stretch of one shot inside a clip, in seconds from the shot's start. */
export interface ShotPiece {
  readonly shot: Shot;
  readonly from: number;
  readonly to: number;
}

/** One clip of a scene before it becomes a request. */
export interface ClipSegment {
  /** Clip id: the scene id, or `scene.shot`, with `.partN` for continuation pieces of one long shot. */
  readonly id: string;
  readonly duration: number;
  readonly model: ModelSpec;
  /** Shots (or pieces of one shot) in the clip; empty for a scene without shots. */
  readonly pieces: readonly ShotPiece[];
  /** First frame is the previous segment's last frame (a continuation piece). */
  readonly continuesPrevious: boolean;
  /** For a continuation piece: which part of the shot or scene it is (2, 3, …). */
  readonly part?: number;
  /** Clip continuation: seconds of the previous segment carried in as `first_clip` (the segment's `duration` is new seconds). */
  readonly carry?: number;
  /** A part of a long take (`parts:`): its own prompt, after the scene prompt. */
  readonly partPrompt?: string;
}

interface Unit {
  readonly shots: readonly Shot[];
  readonly duration: number;
}

/** Splits a scene into clips its model can make: shots grouped into multi-shot clips, long shots chained. */
export function segmentScene(scene: Scene, model: ModelSpec): { segments: ClipSegment[]; diagnostics: Diagnostic[] } {
  const explicit = scene.settings.duration;
  const shotTotal = scene.shots.reduce((sum, s) => addSeconds(sum, s.duration), 0);
  if (scene.shots.length > 0 && explicit && Math.abs(explicit.value - shotTotal) > 1e-6) {
    return fail({ code: 'duration-mismatch', severity: 'error', span: explicit.span,
      message: `Scene \`${scene.id}\` has \`duration: ${explicit.value}\` but its shots add up to ${formatSeconds(shotTotal)} s`,
      hint: 'Remove the scene `duration` (it defaults to the sum of the shots) or change the shot durations.' });
  }
  // parts with shots is an error of its own (check/continuation.ts): the shots are segmented as usual
  if (scene.parts && scene.shots.length === 0) return segmentParts(scene, model);
  const units = groupUnits(scene, model);
  if ('diagnostic' in units) return fail(units.diagnostic);
  const segments: ClipSegment[] = [];
  const chained = model.frames.firstRequired;
  for (const unit of units.units) {
    const base = unit.shots.length === 0 || units.units.length === 1 ? scene.id : `${scene.id}.${unit.shots[0]?.id}`;
    const fits = durationAllowed(model.duration, unit.duration);
    if (fits) {
      segments.push({ id: base, duration: unit.duration, model, pieces: pieces(unit), continuesPrevious: chained && segments.length > 0 });
      continue;
    }
    const chain = chainUnit(scene, unit, model, base, segments.length > 0 && chained);
    if ('diagnostic' in chain) return fail(chain.diagnostic);
    for (const seg of chain.segments) segments.push(seg);
  }
  if (model.frames.lastRequired && segments.length > 1) {
    // a keyframe model interpolates one clip between two given frames: there is nothing to chain
    const total = segments.reduce((sum, x) => addSeconds(sum, x.duration), 0);
    return fail({ code: 'duration-out-of-range', severity: 'error', span: scene.settings.duration?.span ?? scene.shots[1]?.span ?? scene.idSpan,
      message: `Scene \`${scene.id}\` would need ${segments.length} clips (${formatSeconds(total)} s), but ${model.id} makes a single ${describeDuration(model.duration)} clip between its first and last frame`,
      hint: `Make the scene ${describeDuration(model.duration)} long with no more than one shot, or use wan2.7-i2v, which can end longer scenes on a last frame.` });
  }
  return { segments, diagnostics: [] };
}

function fail(d: Diagnostic): { segments: ClipSegment[]; diagnostics: Diagnostic[] } {
  return { segments: [], diagnostics: [d] };
}

function pieces(unit: Unit): ShotPiece[] {
  return unit.shots.map((shot) => ({ shot, from: 0, to: shot.duration }));
}

/** Units of work: consecutive shots packed into multi-shot clips, or one unit per shot, or the whole scene. */
function groupUnits(scene: Scene, model: ModelSpec): { units: Unit[] } | { diagnostic: Diagnostic } {
  if (scene.shots.length === 0) {
    const duration = scene.settings.duration?.value ?? model.duration.default;
    return { units: [{ shots: [], duration }] };
  }
  if (model.multiShot === 'none') return { units: scene.shots.map((s) => ({ shots: [s], duration: s.duration })) };
  const total = scene.shots.reduce((sum, s) => addSeconds(sum, s.duration), 0);
  if (durationAllowed(model.duration, total)) return { units: [{ shots: scene.shots, duration: total }] };
  const packed = packShots(scene.shots, model);
  if (packed) return { units: packed };
  return { diagnostic: {
    code: 'duration-out-of-range', severity: 'error', span: scene.settings.duration?.span ?? scene.shots[0]?.durationSpan ?? scene.idSpan,
    message: `The shots of scene \`${scene.id}\` (${formatSeconds(total)} s) cannot be grouped into ${model.id} clips of ${describeDuration(model.duration)}`,
    hint: 'Make consecutive shots add up to whole seconds within the model\'s limits.',
  } };
}

/** Fewest clips of consecutive shots with whole-second, allowed totals (a shot longer than the maximum stands alone). */
function packShots(shots: readonly Shot[], model: ModelSpec): Unit[] | undefined {
  const max = maxDuration(model.duration);
  const n = shots.length;
  const best: ({ clips: number; spread: number; from: number } | undefined)[] = new Array(n + 1).fill(undefined);
  best[0] = { clips: 0, spread: 0, from: 0 };
  for (let i = 1; i <= n; i++) {
    let sum = 0;
    for (let j = i - 1; j >= 0; j--) {
      sum = addSeconds(sum, shots[j]?.duration ?? 0);
      const single = j === i - 1;
      if (sum > max && !single) break;
      const ok = durationAllowed(model.duration, sum) || (single && Number.isInteger(sum) && sum > max);
      const prev = best[j];
      if (!ok || !prev) continue;
      const cand = { clips: prev.clips + 1, spread: prev.spread + sum * sum, from: j };
      const cur = best[i];
      // fewer clips first; then the most even split
      if (!cur || cand.clips < cur.clips || (cand.clips === cur.clips && cand.spread > cur.spread)) best[i] = cand;
    }
  }
  if (!best[n]) return undefined;
  const units: Unit[] = [];
  for (let i = n; i > 0;) {
    const b = best[i];
    if (!b) return undefined;
    const group = shots.slice(b.from, i);
    units.unshift({ shots: group, duration: group.reduce((s, x) => addSeconds(s, x.duration), 0) });
    i = b.from;
  }
  return units;
}

/** A shot or scene longer than the model allows, as a chain of continuation clips on the family's i2v model. */
function chainUnit(scene: Scene, unit: Unit, model: ModelSpec, base: string, firstContinues: boolean): { segments: ClipSegment[] } | { diagnostic: Diagnostic } {
  const shot = unit.shots[0];
  const span = shot ? shot.durationSpan : scene.settings.duration?.span ?? scene.idSpan;
  const what = shot ? `Shot \`${shot.id}\` of scene \`${scene.id}\`` : `Scene \`${scene.id}\``;
  const cont = model.continuation ? findModel(model.continuation) : undefined;
  const lastFrameOk = !scene.lastFrame || (cont?.frames.last === 'media');
  const parts = cont && lastFrameOk ? splitSeconds(unit.duration, firstContinues ? cont.duration : model.duration, cont.duration) : undefined;
  if (!cont || !parts || unit.shots.length > 1) return { diagnostic: durationProblem(what, span, unit.duration, model, cont, lastFrameOk) };
  let from = 0;
  const carry = clipCarry(scene, cont);
  return { segments: parts.map((seconds, i) => {
    const seg: ClipSegment = {
      id: i === 0 ? base : `${base}.part${i + 1}`, duration: seconds, model: i === 0 && !firstContinues ? model : cont,
      pieces: shot ? [{ shot, from, to: addSeconds(from, seconds) }] : [],
      continuesPrevious: i > 0 || firstContinues, ...(i > 0 ? { part: i + 1 } : {}),
      ...(i > 0 && carry ? { carry } : {}),
    };
    from = addSeconds(from, seconds);
    return seg;
  }) };
}

/**
 * Seconds a split scene's later clips carry from the one before (clip continuation), or undefined for frame
 * continuation: `continuation: clip` (the default) on a continuation model that takes a `first_clip`.
 */
export function clipCarry(scene: Scene, cont: ModelSpec | undefined): number | undefined {
  if (!cont?.frames.clip || scene.settings.continuation?.value === 'frame') return undefined;
  return scene.settings.carry?.value ?? DEFAULT_CARRY;
}

/** Seconds carried by clip continuation when `carry` is not set: the official guide's example, and the least the model takes. */
export const DEFAULT_CARRY = 2;

/**
 * A long take written as `parts:`: one clip a part, each continuing the one before (by clip where the continuation
 * model can), each with its own prompt. Parts without a duration share what the scene's `duration` leaves.
 */
function segmentParts(scene: Scene, model: ModelSpec): { segments: ClipSegment[]; diagnostics: Diagnostic[] } {
  const parts = scene.parts ?? [];
  const cont = model.continuation ? findModel(model.continuation) : undefined;
  const seconds = partSeconds(scene);
  if ('diagnostic' in seconds) return fail(seconds.diagnostic);
  if (!cont) {
    return fail({ code: 'duration-out-of-range', severity: 'error', span: parts[1]?.span ?? scene.idSpan,
      message: `Scene \`${scene.id}\` has ${parts.length} parts, but no image-to-video model of the ${model.family} family can continue a ${model.id} clip`,
      hint: 'Use a model whose family can continue clips (wan2.7 continues by clip, wan2.6 and earlier by frame), or make the parts separate scenes.' });
  }
  const carry = clipCarry(scene, cont);
  const segments: ClipSegment[] = [];
  for (const [i, part] of parts.entries()) {
    const partModel = i === 0 ? model : cont;
    const length = seconds.values[i] ?? 0;
    if (!durationAllowed(partModel.duration, length)) {
      return fail({ code: 'duration-out-of-range', severity: 'error', span: part.duration?.span ?? part.span,
        message: `Part ${i + 1} of scene \`${scene.id}\` lasts ${formatSeconds(length)} s, but ${partModel.id} makes clips of ${describeDuration(partModel.duration)}`,
        hint: part.duration ? `Give the part a duration of ${describeDuration(partModel.duration)}.` : 'Give the parts durations, or change the scene `duration` so that every part gets an allowed length.' });
    }
    segments.push({
      id: i === 0 ? scene.id : `${scene.id}.part${i + 1}`, duration: length, model: partModel, pieces: [],
      continuesPrevious: i > 0, partPrompt: part.prompt.rendered, ...(i > 0 ? { part: i + 1 } : {}),
      ...(i > 0 && carry ? { carry } : {}),
    });
  }
  return { segments, diagnostics: [] };
}

/** The new seconds of each part: as written, the rest of the scene `duration` shared by the parts without one. */
function partSeconds(scene: Scene): { values: number[] } | { diagnostic: Diagnostic } {
  const parts = scene.parts ?? [];
  const written = parts.reduce((sum, p) => sum + (p.duration?.value ?? 0), 0);
  const open = parts.filter((p) => !p.duration);
  const total = scene.settings.duration;
  if (open.length === 0) {
    if (total && total.value !== written) {
      return { diagnostic: { code: 'duration-mismatch', severity: 'error', span: total.span,
        message: `Scene \`${scene.id}\` has \`duration: ${total.value}\` but its parts add up to ${written} s`,
        hint: 'Remove the scene `duration` (it defaults to the sum of the parts) or change the part durations.' } };
    }
    return { values: parts.map((p) => p.duration?.value ?? 0) };
  }
  if (!total) {
    return { diagnostic: { code: 'parts-duration', severity: 'error', span: open[0]?.span ?? scene.idSpan,
      message: `Part ${(open[0]?.index ?? 0) + 1} of scene \`${scene.id}\` has no duration, and the scene has none to share`,
      hint: 'Give every part a `duration`, or give the scene a `duration` that the parts without one share.' } };
  }
  const rest = total.value - written;
  if (!Number.isInteger(rest) || rest < open.length) {
    return { diagnostic: { code: 'parts-duration', severity: 'error', span: total.span,
      message: `Scene \`${scene.id}\` lasts ${formatSeconds(total.value)} s, which leaves ${formatSeconds(rest)} s for its ${open.length} part${open.length === 1 ? '' : 's'} without a duration`,
      hint: 'Make the scene longer, or shorten the parts that have a duration.' } };
  }
  const share = Math.floor(rest / open.length);
  let extra = rest - share * open.length;
  return { values: parts.map((p) => p.duration?.value ?? share + (extra-- > 0 ? 1 : 0)) };
}

/** Says why a duration cannot be made: not whole, too short, or too long and not splittable. */
function durationProblem(what: string, span: Diagnostic['span'], seconds: number, model: ModelSpec, cont: ModelSpec | undefined, lastFrameOk: boolean): Diagnostic {
  const rule = model.duration;
  const base = { code: 'duration-out-of-range', severity: 'error' as const, ...(span ? { span } : {}) };
  if (!Number.isInteger(seconds)) {
    return { ...base, message: `${what} lasts ${formatSeconds(seconds)} s, but ${model.id} makes clips of ${describeDuration(rule)}`,
      hint: model.multiShot === 'none' ? `${model.id} makes one clip per shot, so each shot needs a whole number of seconds.` : 'Make the shots of one clip add up to whole seconds.' };
  }
  const min = rule.kind === 'range' ? rule.min : Math.min(...rule.values);
  if (seconds < min) return { ...base, message: `${what} lasts ${seconds} s, but ${model.id} makes clips of ${describeDuration(rule)}` };
  const why = !cont ? `, and no image-to-video model of the ${model.family} family can continue it`
    : !lastFrameOk ? `, and a scene that ends on a last frame cannot be split into several ${model.id} clips`
    : `, and ${seconds} s cannot be split into ${cont.id === model.id ? model.id : `${model.id} and ${cont.id}`} clips`;
  return { ...base, message: `${what} lasts ${seconds} s; ${model.id} makes clips of ${describeDuration(rule)}${why}`,
    hint: cont && lastFrameOk ? `Longer scenes are split into chained clips; use a length that ${describeDuration(cont.duration)} pieces add up to.` : `Use ${describeDuration(rule)}.` };
}
