// The Plan the compiler hands to the runner and assembly: ClipJob (request, inputs, cost, expected output),
// StitchJob (joins, chapters, cues) and their parts.
import type { TransitionType } from '../storyboard.js';

/** Identifies a clip: `scene`, `scene.shot`, or `scene.shot.part2` for continuation pieces. */
export type ClipId = string;

/** A position in the storyboard file, for pointing at the YAML that caused a clip. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Identifies a still (a generated image): its `id` under `stills:`. Unique across stills and scenes. */
export type StillId = string;

/**
 * Where a clip input comes from: inlined URL, a local file, the last frame of another clip (or the sharpest of its
 * last frames, `seam_frame: sharpest`: the film then ends that clip on it), the last `tail`
 * seconds of another clip's video (clip continuation: cut with ffmpeg, sent as `first_clip`), or a generated
 * still (the last three resolved at run time).
 */
export type InputSource =
  | { readonly url: string }
  | { readonly file: string }
  | { readonly clip: ClipId; readonly frame: 'last' | 'sharpest' }
  | { readonly clip: ClipId; readonly tail: number }
  | { readonly still: StillId };

/**
 * Names of inputs: `first_frame`, `last_frame`, `audio`, and for reference-to-video clips one per reference,
 * `ref1`, `ref2`, … (in the order sent) with `ref1_voice`, … for a reference's voice; for stills `image1`, ….
 */
export type InputName = string;

/** An input the runner must supply; the request body holds `$input.<name>` where its URL goes. */
export interface ClipInput {
  readonly name: InputName;
  readonly kind: 'image' | 'audio' | 'video';
  readonly from: InputSource;
  readonly at: SourcePosition;
}

/** A character's reference sent with a reference-to-video clip, and the label the prompt names it by. */
export interface ClipReference {
  readonly character: string;
  /** `Image 1`, `Video 1` (wan2.7-r2v) or `character1` (wan2.6-r2v). */
  readonly label: string;
  readonly kind: 'image' | 'video';
  /** The input name of the reference (`ref1`, …) and of its voice, if sent. */
  readonly input: InputName;
  readonly voice?: InputName;
}

/** The HTTP request a clip becomes (body as sent, except `$input.*` placeholders). */
export interface ClipRequest {
  readonly method: 'POST';
  readonly path: string;
  readonly body: RequestBody;
}

/** A DashScope request body: `{ model, input, parameters }`, for clips and stills alike. */
export interface RequestBody {
  readonly model: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** What the clip's video will be like, for checks and for the preview backend. */
export interface ExpectedOutput {
  readonly duration: number;
  readonly width: number;
  readonly height: number;
  readonly fps: 30;
  readonly audio: boolean;
  /** True when the size depends on an image the compiler could not measure (a URL): 16:9 assumed. */
  readonly sizeAssumed?: boolean;
}

/** One clip to generate. */
export interface ClipJob {
  readonly id: ClipId;
  readonly scene: string;
  readonly shots: readonly string[];
  /** For continuation pieces of one long shot or scene: 2, 3, … */
  readonly part?: number;
  readonly at: SourcePosition;
  readonly model: string;
  readonly request: ClipRequest;
  readonly prompt: string;
  readonly seed: { readonly value: number; readonly source: 'explicit' | 'derived' };
  readonly inputs: readonly ClipInput[];
  readonly dependsOn: readonly ClipId[];
  readonly expected: ExpectedOutput;
  /**
   * `inputVideoSeconds`: reference video seconds billed on top of the output (r2v; capped per clip).
   * `carriedSeconds`: seconds of a `first_clip` the output repeats, not counted in `usd` (the reference says wan2.7-i2v
   * bills output only, but whether the carried seconds count is uncertain; `plan` shows what they would add).
   */
  readonly cost: { readonly usd: number; readonly perSecond: number; readonly resolution: string; readonly inputVideoSeconds?: number; readonly carriedSeconds?: number };
  /** Stills this clip uses (as a frame or a character's reference): it runs after them. */
  readonly stills?: readonly StillId[];
  /** Reference-to-video clips: the characters' references in the order sent. */
  readonly references?: readonly ClipReference[];
  /**
   * Clip continuation: the clip's video begins with the last `seconds` of clip `from` (sent as `first_clip`), then
   * its new footage; `expected.duration` counts both, and the film drops the carried `frames` (`seconds × 30`).
   */
  readonly carry?: { readonly from: ClipId; readonly seconds: number; readonly frames: number };
  /** Drift control, for a clip of a continuity chain (a clip continuing another, by frame or by clip). */
  readonly chain?: ClipChain;
}

/** What stands for a chain's approved look: a still, an image file or URL, or the chain's first clip. */
export type AnchorSource = { readonly still: StillId } | { readonly file: string } | { readonly url: string } | { readonly clip: ClipId };

/** A clip's place in its continuity chain and the drift control asked for. */
export interface ClipChain {
  /** The chain's first clip (which continues nothing), and how many hops this clip is from it (root: 0). */
  readonly root: ClipId;
  readonly hop: number;
  /**
   * The anchor: the scene's `anchor:`, else one set on a scene upstream, else `defaults`'; the root clip when none is
   * set. `colourMatch`, `seamFrame` and re-anchoring follow the same rule (a setting on a chain's first scene holds
   * for the whole chain).
   */
  readonly anchor: AnchorSource;
  readonly anchorAt: SourcePosition;
  /** Correct the clip's colour toward the anchor when it is normalised (`colour_match: true`). */
  readonly colourMatch: boolean;
  /** Hand on the sharpest of the clip's last frames instead of the very last (`seam_frame: sharpest`). */
  readonly seamFrame: 'last' | 'sharpest';
  /** This hop is re-anchored: the anchor image is sent as its `last_frame` target (`reanchor: N`). */
  readonly reanchored?: boolean;
}

/** The request a still becomes: async (a task, polled) or sync (answered at once); body as sent except `$input.*`. */
export interface StillRequest extends ClipRequest {
  readonly mode: 'async' | 'sync';
}

/** One still (generated image) to make: a node of the graph like a clip, made once and reused by every clip naming it. */
export interface StillJob {
  readonly id: StillId;
  readonly at: SourcePosition;
  readonly model: string;
  readonly request: StillRequest;
  readonly prompt: string;
  readonly seed: { readonly value: number; readonly source: 'explicit' | 'derived' };
  /** Input images (other stills or files) for models that take images with the prompt. */
  readonly inputs: readonly ClipInput[];
  /** Stills this one takes as input images. */
  readonly dependsOn: readonly StillId[];
  readonly expected: { readonly width: number; readonly height: number };
  readonly cost: { readonly usd: number; readonly perImage: number };
  /** Clips and stills that use it (empty: an unused still, warned about at compile time). */
  readonly usedBy: readonly string[];
}

/** How two consecutive clips of the film join. */
export interface Join {
  readonly from: ClipId;
  readonly to: ClipId;
  /**
   * `seam`: the second clip continues the first: it starts on the first's last frame, whose duplicate is dropped, or
   * (clip continuation) it repeats the first's last seconds, which are dropped (`ClipJob.carry`).
   */
  readonly type: TransitionType | 'seam';
  /** Overlap in seconds (0 for cuts and frame-exact seams). */
  readonly duration: number;
}

/** A subtitle cue on the film's timeline. */
export interface Cue {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly kind: 'dialogue' | 'caption';
  readonly clip: ClipId;
  readonly shot: string;
}

/** Assembly of the clips into the film. */
export interface StitchJob {
  readonly output: string;
  readonly order: readonly ClipId[];
  readonly joins: readonly Join[];
  /**
   * Film time of each clip's frame 0, in plan order: for a clip that drops frames (a seam's duplicate, a continued
   * clip's carried seconds) that frame is not seen, and the clip shows from `start + dropped frames / 30`.
   */
  readonly starts: readonly number[];
  readonly duration: number;
  readonly chapters: readonly { readonly scene: string; readonly title: string; readonly start: number; readonly end: number }[];
  readonly cues: readonly Cue[];
  readonly fit: 'cover' | 'contain' | 'stretch';
  readonly size?: { readonly width: number; readonly height: number };
  readonly music?: { readonly file: string; readonly volume: number; readonly fadeIn: number; readonly fadeOut: number; readonly loop: boolean; readonly duck: boolean };
  readonly subtitles: { readonly srt: boolean; readonly vtt: boolean; readonly burn: boolean };
  readonly chapterMarks: boolean;
}

/** The compiled storyboard: clip jobs in film order, and the stitch job. Pure, printable, diffable data. */
export interface Plan {
  readonly version: 1;
  readonly storyboard: { readonly file: string; readonly title?: string; readonly identity: string };
  readonly jobs: readonly ClipJob[];
  /** Stills in file order (made before the clips that use them). */
  readonly stills: readonly StillJob[];
  readonly stitch: StitchJob;
  /** `usd` covers clips and stills; `stillsUsd` the stills alone. */
  readonly totals: { readonly clips: number; readonly seconds: number; readonly usd: number; readonly stills: number; readonly stillsUsd: number };
}
