// Checks the frame codes read from a film against its manifest: every frame the expected frame of the
// expected clip, transitions blending exactly the expected frames, nothing dropped, frozen, doubled or
// reordered. Works on readings (column contrasts per code patch), so it is pure and testable without media.
import { decodeContrasts, FRAME_BITS, FULL_CONTRAST, type FrameCode, type MappedPatch } from '../media/frame-code.js';
import { blendContrasts, modelledTransition } from './blend-model.js';
import { expectedFrames, sourceFrame, type ExpectedFrame, type FilmManifest } from './film-manifest.js';

/** The contrasts read at one clip's code patches on one film frame. */
export interface PatchReading {
  readonly clip: number;
  /** One contrast array per patch of that clip that lands whole in the film. */
  readonly contrasts: readonly (readonly number[])[];
}

/** What went wrong at a run of film frames. */
type FrameProblemKind = 'frozen' | 'skipped' | 'repeated' | 'wrong-clip' | 'unreadable' | 'blend' | 'missing' | 'extra';

/** A run of consecutive film frames with the same problem. */
export interface FrameProblem {
  readonly kind: FrameProblemKind;
  readonly first: number;
  readonly last: number;
  readonly message: string;
}

/** The outcome of the frame-code check. */
export interface FrameCheck {
  readonly problems: readonly FrameProblem[];
  /** Film frames whose code matched (clean frames and modelled blends). */
  readonly verified: number;
  /** Frames that could not be checked by code (uncoded clips, unmodelled or mixed-size transitions). */
  readonly unchecked: number;
  /** Per clip: whether it carries frame codes, and its tag. */
  readonly clips: readonly { readonly coded: boolean; readonly tag?: number }[];
}

/** Blend readings may stray this far from the model (codec noise, rounding); a clean column is ±FULL_CONTRAST. */
const BLEND_TOLERANCE = 0.3 * FULL_CONTRAST;
const WRAP = 1 << FRAME_BITS;

const codesOf = (reading: PatchReading | undefined): FrameCode[] =>
  (reading?.contrasts ?? []).map((c) => decodeContrasts(c)).filter((c): c is FrameCode => c !== undefined);

/** Whether a decoded frame number is the expected one (frame numbers wrap at 4096). */
function frameFits(found: number, expected: number): boolean {
  return found === ((expected % WRAP) + WRAP) % WRAP;
}

/** Each clip's tag: the manifest's, or the one its frames carry where their frame numbers fit. */
function learnTags(manifest: FilmManifest, expected: readonly ExpectedFrame[], readings: readonly (readonly PatchReading[])[], readable: readonly boolean[]): FrameCheck['clips'] {
  const votes = manifest.clips.map(() => new Map<number, number>());
  const decodable = manifest.clips.map(() => 0);
  expected.forEach((e, t) => {
    if (e.kind !== 'clip') return;
    const clip = manifest.clips[e.clip];
    const codes = codesOf(readings[t]?.find((r) => r.clip === e.clip));
    if (!clip || codes.length === 0) return;
    decodable[e.clip] = (decodable[e.clip] ?? 0) + 1;
    const fit = codes.find((c) => frameFits(c.frame, sourceFrame(clip, e.frame, manifest.fps)));
    const v = votes[e.clip];
    if (fit && v) v.set(fit.tag, (v.get(fit.tag) ?? 0) + 1);
  });
  const learned = votes.map((v) => [...v].sort((x, y) => y[1] - x[1])[0]?.[0]);
  return manifest.clips.map((c, i) => {
    // a code squeezed below readable size in the film (a small contain or stretch fit) cannot be checked
    if (!readable[i]) return { coded: false };
    if (c.tag !== undefined) return { coded: true, tag: c.tag };
    const best = [...(votes[i] ?? new Map<number, number>())].sort((x, y) => y[1] - x[1])[0];
    if (!best) return { coded: (decodable[i] ?? 0) > 0 };
    // another clip's tag learned from this clip's place means another clip's frames are there
    const taken = manifest.clips.some((o, j) => j !== i && o.sha256 !== c.sha256 && (o.tag ?? learned[j]) === best[0]);
    return taken ? { coded: true } : { coded: true, tag: best[0] };
  });
}

/** Checks one blend frame against the xfade model; true when every modelled column is within tolerance. */
function blendFits(e: Extract<ExpectedFrame, { kind: 'blend' }>, manifest: FilmManifest, reading: PatchReading | undefined, patches: readonly MappedPatch[], tags: { a: number; b: number }): boolean {
  const from = manifest.clips[e.from];
  const to = manifest.clips[e.to];
  if (!from || !to || !reading) return false;
  const a = { tag: tags.a, frame: sourceFrame(from, e.fromFrame, manifest.fps) };
  const b = { tag: tags.b, frame: sourceFrame(to, e.toFrame, manifest.fps) };
  return patches.some((patch, p) => {
    const model = blendContrasts(e.transition, e.step, e.steps, patch, manifest, a, b);
    const measured = reading.contrasts[p] ?? [];
    const compared = model.filter((m, c) => m !== undefined && measured[c] !== undefined);
    return compared.length >= model.length / 2 && model.every((m, c) => m === undefined || Math.abs((measured[c] ?? 0) - m) <= BLEND_TOLERANCE);
  });
}

interface Verdict {
  readonly ok: boolean;
  readonly checked: boolean;
  readonly kind?: FrameProblemKind;
  readonly detail?: string;
}

/** The verdict on a clean frame: the expected clip's expected frame, or what is there instead. */
function cleanVerdict(manifest: FilmManifest, e: Extract<ExpectedFrame, { kind: 'clip' }>, reading: PatchReading | undefined, tags: FrameCheck['clips'], previous: FrameCode | undefined): Verdict & { code?: FrameCode } {
  const clip = manifest.clips[e.clip];
  const tag = tags[e.clip];
  if (!clip || !tag?.coded) return { ok: true, checked: false };
  const want = sourceFrame(clip, e.frame, manifest.fps);
  const codes = codesOf(reading);
  const match = codes.find((c) => c.tag === tag.tag && frameFits(c.frame, want));
  if (match) return { ok: true, checked: true, code: match };
  const code = codes[0];
  if (!code) return { ok: false, checked: true, kind: 'unreadable', detail: `${clip.clip} frame ${want} expected, no readable frame code` };
  const other = manifest.clips.findIndex((c, i) => tags[i]?.tag === code.tag && i !== e.clip);
  const expectedText = `${clip.clip} frame ${want}`;
  if (code.tag !== tag.tag) {
    const name = other >= 0 ? manifest.clips[other]?.clip : `an unknown clip (tag ${code.tag})`;
    return { ok: false, checked: true, code, kind: 'wrong-clip', detail: `${name} frame ${code.frame}${trimmedNote(manifest, other, code.frame)} where ${expectedText} belongs` };
  }
  if (previous && previous.tag === code.tag && previous.frame === code.frame) return { ok: false, checked: true, code, kind: 'frozen', detail: `${clip.clip} frame ${code.frame} shown again where ${expectedText} belongs` };
  const kind = code.frame > want ? 'skipped' : 'repeated';
  // a clip continuation's carried frames repeat the end of the clip it continues: the film must never show them
  const carried = clip.drop > 1 && code.frame < clip.drop ? `, one of the ${clip.drop} frames it carries from the clip it continues,` : '';
  return { ok: false, checked: true, code, kind, detail: `${clip.clip} frame ${code.frame}${carried}${trimmedNote(manifest, e.clip, code.frame)} where ${expectedText} belongs` };
}

/** Names a frame the film must not show because its clip ends on its sharpest last frame (`seam_frame: sharpest`). */
function trimmedNote(manifest: FilmManifest, index: number, frame: number): string {
  const clip = manifest.clips[index];
  if (!clip?.trim || frame <= sourceFrame(clip, clip.frames - 1, manifest.fps)) return '';
  return `, one of the ${clip.trim} frame${clip.trim === 1 ? '' : 's'} after the sharpest last frame it hands on, trimmed from the film,`;
}

/** Collapses per-frame problems into runs of the same kind. */
function runs(flags: readonly { t: number; kind: FrameProblemKind; detail: string }[], fps: number): FrameProblem[] {
  const out: FrameProblem[] = [];
  const time = (t: number): string => (t / fps).toFixed(3);
  for (const f of flags) {
    const last = out[out.length - 1];
    if (last && last.kind === f.kind && last.last === f.t - 1) {
      out[out.length - 1] = { ...last, last: f.t };
      continue;
    }
    out.push({ kind: f.kind, first: f.t, last: f.t, message: f.detail });
  }
  return out.map((p) => ({
    ...p,
    message: `film frame${p.first === p.last ? ` ${p.first} (${time(p.first)} s)` : `s ${p.first}–${p.last} (${time(p.first)}–${time(p.last)} s)`}: ${p.kind}: ${p.message}${p.first === p.last ? '' : ' (first of the run)'}`,
  }));
}

/**
 * Checks readings of a decoded film (one array of patch readings per decoded frame) against the manifest.
 * `patches[i]` are clip i's code patches as they land in the film (the geometry the readings were taken with).
 */
export function checkFrames(manifest: FilmManifest, readings: readonly (readonly PatchReading[])[], patches: readonly (readonly MappedPatch[])[]): FrameCheck {
  const expected = expectedFrames(manifest);
  const tags = learnTags(manifest, expected, readings, manifest.clips.map((_, i) => (patches[i]?.length ?? 0) > 0));
  const flags: { t: number; kind: FrameProblemKind; detail: string }[] = [];
  let verified = 0;
  let unchecked = 0;
  let previous: FrameCode | undefined;
  expected.forEach((e, t) => {
    if (t >= readings.length) return;
    const frame = readings[t] ?? [];
    if (e.kind === 'clip') {
      const v = cleanVerdict(manifest, e, frame.find((r) => r.clip === e.clip), tags, previous);
      previous = v.code;
      if (!v.checked) unchecked++;
      else if (v.ok) verified++;
      else flags.push({ t, kind: v.kind ?? 'unreadable', detail: v.detail ?? '' });
      return;
    }
    previous = undefined;
    const [a, b] = [tags[e.from], tags[e.to]];
    const [from, to] = [manifest.clips[e.from], manifest.clips[e.to]];
    const sameGeometry = from && to && from.width === to.width && from.height === to.height;
    if (!a?.coded || !b?.coded || a.tag === undefined || b.tag === undefined || !sameGeometry || !modelledTransition(e.transition)) {
      unchecked++;
      return;
    }
    if (blendFits(e, manifest, frame.find((r) => r.clip === e.from), patches[e.from] ?? [], { a: a.tag, b: b.tag })) verified++;
    else flags.push({ t, kind: 'blend', detail: `not ${e.transition} step ${e.step + 1}/${e.steps} from ${from.clip} frame ${e.fromFrame} into ${to.clip} frame ${e.toFrame}` });
  });
  if (readings.length < expected.length) flags.push({ t: readings.length, kind: 'missing', detail: `the film ends after ${readings.length} frames; its timeline has ${expected.length}` });
  if (readings.length > expected.length) flags.push({ t: expected.length, kind: 'extra', detail: `the film has ${readings.length} frames; its timeline has ${expected.length}` });
  return { problems: runs(flags, manifest.fps), verified, unchecked, clips: tags };
}
