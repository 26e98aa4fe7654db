// The normalized Storyboard the validator produces and the planner reads: scenes, shots, settings with where
// they were written, transitions, audio, texts.
import type { Span } from '../diagnostics/diagnostic.js';
import type { Locator, ValuePath } from './locate.js';
import type { Ratio, Resolution } from './models/types.js';
import type { SourceFile } from './source.js';

/** Transition kinds between scenes. */
export type TransitionType = 'cut' | 'dissolve' | 'fade' | 'wipeleft' | 'wiperight' | 'wipeup' | 'wipedown';

/** A transition as written (duration defaults to 0.5 s). */
export interface Transition {
  readonly type: TransitionType;
  readonly duration: number;
}

/** Scene-level settings, as they may appear on a scene or in `defaults`. */
export interface SettingValues {
  model: string;
  resolution: Resolution;
  ratio: Ratio;
  size: string;
  duration: number;
  seed: number;
  prompt_extend: boolean;
  watermark: boolean;
  negative_prompt: string;
  shot_type: 'single' | 'multi';
  audio: string | boolean;
  style: string;
  transition: Transition;
  continuation: 'clip' | 'frame';
  carry: number;
  /** As written: a path or URL, `{ still: id }`, or `first`; resolved into `Scene.anchor`. */
  anchor: string | { readonly still: string };
  colour_match: boolean;
  reanchor: number;
  seam_frame: 'last' | 'sharpest';
}

/** Name of a scene-level setting. */
export type SettingKey = keyof SettingValues;

/** A setting's value with where it was written: on the scene or inherited from `defaults`. */
export interface Setting<K extends SettingKey> {
  readonly value: SettingValues[K];
  readonly span: Span;
  readonly keySpan: Span;
  readonly origin: 'scene' | 'defaults';
}

/** The effective settings of a scene. */
export type Settings = { readonly [K in SettingKey]?: Setting<K> };

/** A template text with its location and rendered value ('' when rendering failed). */
export interface Text {
  readonly source: string;
  readonly rendered: string;
  readonly span: Span;
  readonly path: ValuePath;
}

/** A file reference: a local path (relative to the storyboard), an http(s) URL, or a generated still (`ref` is its id). */
export interface AssetRef {
  readonly ref: string;
  readonly kind: 'local' | 'url' | 'still';
  readonly role: 'first_frame' | 'last_frame' | 'audio' | 'music' | 'reference_image' | 'reference_video' | 'reference_voice' | 'still_image' | 'anchor';
  readonly span: Span;
  /** For local files: the normalized path relative to the storyboard's directory. */
  readonly relative?: string;
}

/** A character: its description, and the reference media reference-to-video models are sent. */
export interface Character {
  readonly id: string;
  readonly description: Text;
  readonly image?: AssetRef;
  readonly video?: AssetRef;
  readonly voice?: AssetRef;
  /** The character's key under `characters`. */
  readonly idSpan: Span;
  readonly span: Span;
}

/** A generated image (`stills:`): made once by an image model and used by the scenes and characters naming it. */
export interface Still {
  readonly id: string;
  readonly index: number;
  readonly model: { readonly id: string; readonly span: Span; readonly implicit: boolean };
  readonly prompt: Text;
  readonly negativePrompt?: Text;
  readonly size?: { readonly value: string; readonly span: Span };
  readonly seed?: { readonly value: number; readonly span: Span };
  readonly promptExtend?: { readonly value: boolean; readonly span: Span };
  readonly watermark?: { readonly value: boolean; readonly span: Span };
  /** Input images sent with the prompt (models that take them). */
  readonly images: readonly AssetRef[];
  readonly span: Span;
  readonly idSpan: Span;
  readonly path: ValuePath;
}

/** A character whose reference a reference-to-video scene sends, with the label its prompt names it by. */
export interface SceneReference {
  readonly character: string;
  /** Which of the character's references is sent. */
  readonly kind: 'image' | 'video';
  /** `Image 1`, `Video 1` (wan2.7-r2v) or `character1` (wan2.6-r2v). */
  readonly label: string;
  /** Where the scene names it: its `cast` entry, or its first mention in a prompt. */
  readonly span: Span;
  /** From `cast` or from the prompts' mentions. */
  readonly origin: 'cast' | 'mention';
}

/** A shot of a scene. */
export interface Shot {
  readonly id: string;
  readonly index: number;
  readonly duration: number;
  readonly camera?: Text;
  readonly prompt: Text;
  readonly dialogue?: Text;
  readonly caption?: Text;
  readonly span: Span;
  readonly idSpan: Span;
  readonly durationSpan: Span;
  readonly path: ValuePath;
}

/** One part of a long take (`parts:`): its prompt and, if written, its new seconds. */
export interface ScenePart {
  readonly index: number;
  readonly prompt: Text;
  readonly duration?: { readonly value: number; readonly span: Span };
  readonly span: Span;
}

/** A validated, normalized scene; every part keeps its span. */
export interface Scene {
  readonly id: string;
  readonly index: number;
  readonly title?: string;
  readonly prompt?: Text;
  readonly shots: readonly Shot[];
  /** `continues:` the scene continued; `carry` (seconds, with where) for clip continuation. */
  readonly continues?: { readonly id: string; readonly span: Span; readonly carry?: { readonly seconds: number; readonly span: Span } };
  /** `parts:` a long take as continued clips, each with its own prompt (`duration` undefined: a share of the rest). */
  readonly parts?: readonly ScenePart[];
  /** The chain's anchor as set on this scene or in `defaults` (`first`: the chain's first clip). */
  readonly anchor?: { readonly ref: AssetRef | 'first'; readonly span: Span };
  readonly firstFrame?: AssetRef;
  readonly lastFrame?: AssetRef;
  readonly audio?: AssetRef;
  /** `cast:` as written: characters (with `.image`/`.video` when picked) and where. */
  readonly cast?: { readonly entries: readonly { readonly character: string; readonly pick?: 'image' | 'video'; readonly span: Span }[]; readonly span: Span };
  /** Reference-to-video scenes: the references sent, in order (from `cast`, or the characters first mentioned). */
  readonly references?: readonly SceneReference[];
  /** The model id and where it came from (`implicit` when neither scene nor defaults name one). */
  readonly model: { readonly id: string; readonly span: Span; readonly implicit: boolean };
  readonly settings: Settings;
  readonly span: Span;
  readonly idSpan: Span;
  readonly path: ValuePath;
}

/** Output settings, with defaults applied. */
export interface Output {
  readonly file: string;
  readonly fileSpan?: Span;
  readonly resolution?: { readonly width: number; readonly height: number };
  readonly fit: 'cover' | 'contain' | 'stretch';
  readonly transition: Transition;
  readonly seam: number;
  readonly music?: {
    readonly file: AssetRef;
    readonly volume: number;
    readonly fadeIn: number;
    readonly fadeOut: number;
    readonly loop: boolean;
    readonly duck: boolean;
  };
  readonly subtitles: { readonly srt: boolean; readonly vtt: boolean; readonly burn: boolean };
  readonly chapters: boolean;
}

/** A validated storyboard: the input after schema checks, defaults merged and templates rendered. */
export interface Storyboard {
  readonly source: SourceFile;
  readonly locator: Locator;
  readonly title?: string;
  readonly vars: Readonly<Record<string, string | number | boolean>>;
  readonly characters: Readonly<Record<string, Character>>;
  readonly stills: readonly Still[];
  readonly styles: Readonly<Record<string, Text>>;
  readonly scenes: readonly Scene[];
  readonly output: Output;
  readonly budget?: number;
}
