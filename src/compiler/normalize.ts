// Builds the normalized Storyboard from a schema-valid value: defaults merged, templates rendered, file
// references classified.
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { Locator, ValuePath } from './locate.js';
import type { ParsedStoryboard } from './parse.js';
import { baseName, resolveRef } from './resolve-ref.js';
import { findModel } from './models/registry.js';
import { mentionedCharacters, sceneReferences, type CastEntry, type MentionSource } from './scene-references.js';
import type { AssetRef, Character, Output, Scene, ScenePart, SceneReference, Setting, SettingKey, SettingValues, Settings, Shot, Still, Storyboard, Text, Transition } from './storyboard.js';
import { DEFAULT_CARRY } from './segment-scene.js';
import { didYouMean } from './suggest.js';
import { characterValue, renderTemplate, type CharacterValue, type TemplateScope } from './templates.js';

type Obj = Record<string, unknown>;

const SETTING_KEYS: readonly SettingKey[] = ['model', 'resolution', 'ratio', 'size', 'duration', 'seed', 'prompt_extend', 'watermark',
  'negative_prompt', 'shot_type', 'audio', 'style', 'transition', 'continuation', 'carry', 'anchor', 'colour_match', 'reanchor', 'seam_frame'];
const RESERVED_VARS = ['vars', 'characters', 'styles'];
const DEFAULT_TRANSITION: Transition = { type: 'cut', duration: 0.5 };

/** Builds the normalized `Storyboard` from a schema-valid value: merges defaults, renders templates, classifies paths. */
export function normalizeStoryboard(parsed: ParsedStoryboard, locator: Locator): { storyboard: Storyboard; diagnostics: Diagnostic[] } {
  const root = parsed.value as Obj;
  const file = parsed.source.path;
  const diagnostics: Diagnostic[] = [];
  const text = (path: ValuePath, value: string, scope: TemplateScope, what: string): Text => {
    const span = locator.value(path);
    const r = renderTemplate(value, scope, { span, what, raw: new RawText(locator, path, parsed.source.text) });
    for (const d of r.diagnostics) diagnostics.push(d);
    return { source: value, rendered: r.rendered, span, path };
  };

  const vars = (root.vars ?? {}) as Record<string, string | number | boolean>;
  for (const name of Object.keys(vars)) {
    if (RESERVED_VARS.includes(name)) {
      diagnostics.push({ code: 'reserved-var-name', severity: 'error', span: locator.key(['vars', name]),
        message: `\`${name}\` cannot be a variable name: it is the template namespace \`{{${name}.…}}\``, hint: 'Rename the variable.' });
    }
  }
  const varScope: TemplateScope = { vars };
  const characters = normalizeCharacters(root.characters, locator, (p, v, k) => text(p, v, varScope, `character \`${k}\``), diagnostics);
  const styles = mapTexts(root.styles, 'styles', (p, v, k) => text(p, v, varScope, `style \`${k}\``));
  const described = Object.fromEntries(Object.values(characters).map((c) => [c.id, characterValue(c.description.rendered, c.description.rendered)]));
  const scope: TemplateScope = { vars, characters: described, styles: renderedOf(styles) };
  const stills = ((root.stills ?? []) as Obj[]).map((s, i) => normalizeStill(s, i, locator, scope, text, diagnostics));

  const defaults = (root.defaults ?? {}) as Obj;
  const defaultSpans = new Map<SettingKey, { span: Span; keySpan: Span }>();
  const scenes = ((root.scenes ?? []) as Obj[]).map((s, i) =>
    normalizeScene(s, i, { defaults, defaultSpans, locator, scope, text, diagnostics, styles: Object.keys(styles), characters }));
  const output = normalizeOutput((root.output ?? {}) as Obj, file, locator, diagnostics);
  const storyboard: Storyboard = {
    source: parsed.source, locator, vars, characters, stills, styles, scenes, output,
    ...(typeof root.title === 'string' ? { title: root.title } : {}),
    ...(typeof root.budget === 'number' ? { budget: root.budget } : {}),
  };
  return { storyboard, diagnostics };
}

interface SceneContext {
  readonly defaults: Obj;
  /** The spans of each setting of `defaults`, made once and shared by the scenes that inherit it. */
  readonly defaultSpans: Map<SettingKey, { span: Span; keySpan: Span }>;
  readonly locator: Locator;
  readonly scope: TemplateScope;
  readonly text: (path: ValuePath, value: string, scope: TemplateScope, what: string) => Text;
  readonly diagnostics: Diagnostic[];
  readonly styles: readonly string[];
  readonly characters: Readonly<Record<string, Character>>;
  /** Scope of texts that are not sent to the model (dialogue, captions: subtitles), when it differs from `scope`. */
  readonly subtitleScope?: TemplateScope;
}

function normalizeScene(raw: Obj, index: number, ctx: SceneContext): Scene {
  const path: ValuePath = ['scenes', index];
  const id = String(raw.id);
  const what = `scene \`${id}\``;
  const settings = mergeSettings(raw, path, ctx);
  const cast = castOf(raw.cast, path, ctx.locator);
  const rules = settings.model ? findModel(settings.model.value)?.references : undefined;
  let references: SceneReference[] | undefined;
  let scope = ctx.scope;
  if (rules) {
    const r = sceneReferences({ sceneId: id, rules, characters: ctx.characters, ...(cast ? { cast: cast.entries } : {}), mentions: mentionedCharacters(mentionSources(raw, path, ctx.locator)) });
    for (const d of r.diagnostics) ctx.diagnostics.push(d);
    references = r.references;
    scope = labelledScope(ctx.scope, ctx.characters, references);
  }
  const opt = (key: string, label: string): Text | undefined =>
    typeof raw[key] === 'string' ? ctx.text([...path, key], raw[key] as string, scope, `the ${label} of ${what}`) : undefined;
  const prompt = opt('prompt', 'prompt');
  // reference labels are for the model: subtitles (dialogue, captions) always show descriptions
  const shotCtx = scope === ctx.scope ? ctx : { ...ctx, scope, subtitleScope: ctx.scope };
  const shots = ((raw.shots ?? []) as Obj[]).map((s, i) => normalizeShot(s, i, [...path, 'shots', i], what, shotCtx));
  const firstFrame = imageRef(raw.first_frame, 'first_frame', [...path, 'first_frame'], ctx.locator, ctx.diagnostics);
  const lastFrame = imageRef(raw.last_frame, 'last_frame', [...path, 'last_frame'], ctx.locator, ctx.diagnostics);
  const audioSetting = settings.audio;
  const audio = typeof audioSetting?.value === 'string' ? assetRef(audioSetting.value, 'audio', audioSetting.span, ctx.diagnostics) : undefined;
  const style = settings.style;
  if (style && !ctx.styles.includes(style.value)) {
    ctx.diagnostics.push({ code: 'unknown-style', severity: 'error', span: style.span,
      message: `Unknown style \`${style.value}\` in ${what}`,
      hint: didYouMean(style.value, ctx.styles) ?? (ctx.styles.length ? `Defined styles: ${ctx.styles.map((s) => `\`${s}\``).join(', ')}.` : 'Define it under `styles`.') });
  }
  const continues = continuesOf(raw.continues, [...path, 'continues'], ctx.locator, settings.carry);
  const parts = Array.isArray(raw.parts) ? (raw.parts as unknown[]).map((p, i) => partOf(p, i, [...path, 'parts', i], what, { ...ctx, scope })) : undefined;
  const anchor = anchorOf(settings.anchor, ctx.diagnostics);
  const model = settings.model
    ? { id: settings.model.value, span: settings.model.span, implicit: false }
    : { id: firstFrame || continues ? 'wan2.7-i2v' : 'wan2.7-t2v', span: ctx.locator.key([...path, 'id']), implicit: true };
  return {
    id, index, shots, settings, model, path,
    span: ctx.locator.value(path), idSpan: ctx.locator.value([...path, 'id']),
    ...(typeof raw.title === 'string' ? { title: raw.title } : {}),
    ...(prompt ? { prompt } : {}),
    ...(continues ? { continues } : {}),
    ...(parts ? { parts } : {}),
    ...(anchor ? { anchor } : {}),
    ...(firstFrame ? { firstFrame } : {}),
    ...(lastFrame ? { lastFrame } : {}),
    ...(audio ? { audio } : {}),
    ...(cast ? { cast } : {}),
    ...(references ? { references } : {}),
  };
}

/** The scene's texts sent to the model, where a reference is named, in prompt order: the scene prompt, then each shot's camera and prompt. */
function mentionSources(raw: Obj, path: ValuePath, locator: Locator): MentionSource[] {
  const out: MentionSource[] = [];
  const add = (v: unknown, p: ValuePath): void => {
    if (typeof v === 'string' && v.includes('characters.')) out.push({ text: v, spanOf: (written) => locator.within(p, written) });
  };
  add(raw.prompt, [...path, 'prompt']);
  ((raw.shots ?? []) as Obj[]).forEach((s, i) => {
    for (const key of ['camera', 'prompt']) add(s[key], [...path, 'shots', i, key]);
  });
  return out;
}

/** The scope of a reference-to-video scene: its cast print as their labels, everyone else as their description. */
function labelledScope(scope: TemplateScope, characters: Readonly<Record<string, Character>>, references: readonly SceneReference[]): TemplateScope {
  if (references.length === 0) return scope;
  const labels = new Map(references.map((r) => [r.character, r.label]));
  const values: Record<string, CharacterValue> = {};
  for (const c of Object.values(characters)) values[c.id] = characterValue(labels.get(c.id) ?? c.description.rendered, c.description.rendered);
  return { ...scope, characters: values };
}

function castOf(raw: unknown, path: ValuePath, locator: Locator): Scene['cast'] {
  if (!Array.isArray(raw)) return undefined;
  const entries: CastEntry[] = raw.map((v, i) => {
    const [character = '', pick] = String(v).split('.');
    return { character, ...(pick === 'image' || pick === 'video' ? { pick } : {}), span: locator.value([...path, 'cast', i]) };
  });
  return { entries, span: locator.value([...path, 'cast']) };
}

/** An image given as a path/URL or as `{ still: id }`. */
/**
 * `continues: id` (frame continuation) or `continues: { scene, carry }` (clip continuation: `carry` defaults to the
 * `carry` setting, else 2 s).
 */
function continuesOf(v: unknown, p: ValuePath, locator: Locator, setting: Setting<'carry'> | undefined): Scene['continues'] {
  if (typeof v === 'string') return { id: v, span: locator.value(p) };
  if (v === null || typeof v !== 'object' || typeof (v as Obj).scene !== 'string') return undefined;
  const o = v as Obj;
  const carry = typeof o.carry === 'number' ? { seconds: o.carry, span: locator.value([...p, 'carry']) }
    : { seconds: setting?.value ?? DEFAULT_CARRY, span: setting?.span ?? locator.value(p) };
  return { id: o.scene as string, span: locator.value([...p, 'scene']), carry };
}

/** A part of a long take: a prompt (a template, like the scene's) and its new seconds if written. */
function partOf(v: unknown, index: number, p: ValuePath, what: string, ctx: SceneContext): ScenePart {
  const o: Obj = typeof v === 'string' ? { prompt: v } : (v ?? {}) as Obj;
  const promptPath = typeof v === 'string' ? p : [...p, 'prompt'];
  const prompt = ctx.text(promptPath, String(o.prompt ?? ''), ctx.scope, `part ${index + 1} of ${what}`);
  const duration = typeof o.duration === 'number' ? { value: o.duration, span: ctx.locator.value([...p, 'duration']) } : undefined;
  return { index, prompt, span: ctx.locator.value(p), ...(duration ? { duration } : {}) };
}

/** The `anchor` setting as a reference: an image (file, URL, still) or `first` (the chain's first clip). */
function anchorOf(setting: Setting<'anchor'> | undefined, diagnostics: Diagnostic[]): Scene['anchor'] {
  if (!setting) return undefined;
  const v = setting.value;
  if (v === 'first') return { ref: 'first', span: setting.span };
  if (typeof v === 'string') return { ref: assetRef(v, 'anchor', setting.span, diagnostics), span: setting.span };
  return { ref: { ref: v.still, kind: 'still', role: 'anchor', span: setting.span }, span: setting.span };
}

function imageRef(v: unknown, role: AssetRef['role'], p: ValuePath, locator: Locator, diagnostics: Diagnostic[]): AssetRef | undefined {
  if (typeof v === 'string') return assetRef(v, role, locator.value(p), diagnostics);
  if (v !== null && typeof v === 'object' && typeof (v as Obj).still === 'string') {
    return { ref: (v as Obj).still as string, kind: 'still', role, span: locator.value([...p, 'still']) };
  }
  return undefined;
}

function normalizeCharacters(raw: unknown, locator: Locator, describe: (path: ValuePath, value: string, name: string) => Text, diagnostics: Diagnostic[]): Record<string, Character> {
  const out: Record<string, Character> = {};
  for (const [id, value] of Object.entries((raw ?? {}) as Obj)) {
    const path: ValuePath = ['characters', id];
    const base = { id, idSpan: locator.key(path), span: locator.value(path) };
    if (typeof value === 'string') {
      out[id] = { ...base, description: describe(path, value, id) };
      continue;
    }
    const o = (value ?? {}) as Obj;
    const image = imageRef(o.image, 'reference_image', [...path, 'image'], locator, diagnostics);
    const video = typeof o.video === 'string' ? assetRef(o.video, 'reference_video', locator.value([...path, 'video']), diagnostics) : undefined;
    const voice = typeof o.voice === 'string' ? assetRef(o.voice, 'reference_voice', locator.value([...path, 'voice']), diagnostics) : undefined;
    out[id] = {
      ...base, description: describe([...path, 'description'], String(o.description ?? ''), id),
      ...(image ? { image } : {}), ...(video ? { video } : {}), ...(voice ? { voice } : {}),
    };
  }
  return out;
}

function normalizeStill(raw: Obj, index: number, locator: Locator, scope: TemplateScope, text: (path: ValuePath, value: string, scope: TemplateScope, what: string) => Text, diagnostics: Diagnostic[]): Still {
  const path: ValuePath = ['stills', index];
  const id = String(raw.id);
  const what = `still \`${id}\``;
  const setting = <T>(key: string): { value: T; span: Span } | undefined =>
    raw[key] === undefined ? undefined : { value: raw[key] as T, span: locator.value([...path, key]) };
  const size = setting<string>('size');
  const seed = setting<number>('seed');
  const promptExtend = setting<boolean>('prompt_extend');
  const watermark = setting<boolean>('watermark');
  const negativePrompt = typeof raw.negative_prompt === 'string' ? text([...path, 'negative_prompt'], raw.negative_prompt, scope, `the negative prompt of ${what}`) : undefined;
  const images = ((raw.images ?? []) as unknown[]).map((v, i) => imageRef(v, 'still_image', [...path, 'images', i], locator, diagnostics))
    .filter((r): r is AssetRef => r !== undefined);
  return {
    id, index, path, images,
    model: typeof raw.model === 'string' ? { id: raw.model, span: locator.value([...path, 'model']), implicit: false }
      : { id: 'wan2.6-t2i', span: locator.value([...path, 'id']), implicit: true },
    prompt: text([...path, 'prompt'], String(raw.prompt), scope, `the prompt of ${what}`),
    span: locator.value(path), idSpan: locator.value([...path, 'id']),
    ...(negativePrompt ? { negativePrompt } : {}), ...(size ? { size } : {}), ...(seed ? { seed } : {}),
    ...(promptExtend ? { promptExtend } : {}), ...(watermark ? { watermark } : {}),
  };
}

function normalizeShot(raw: Obj, index: number, path: ValuePath, sceneWhat: string, ctx: SceneContext): Shot {
  const id = typeof raw.id === 'string' ? raw.id : `shot-${index + 1}`;
  const what = `shot \`${id}\` of ${sceneWhat}`;
  const opt = (key: string, label: string, scope = ctx.scope): Text | undefined =>
    typeof raw[key] === 'string' ? ctx.text([...path, key], raw[key] as string, scope, `the ${label} of ${what}`) : undefined;
  const camera = opt('camera', 'camera');
  const dialogue = opt('dialogue', 'dialogue', ctx.subtitleScope);
  const caption = opt('caption', 'caption', ctx.subtitleScope);
  const shot: { -readonly [K in keyof Shot]: Shot[K] } = {
    id, index, path, duration: Number(raw.duration),
    prompt: ctx.text([...path, 'prompt'], String(raw.prompt), ctx.scope, `the prompt of ${what}`),
    span: ctx.locator.value(path),
    idSpan: typeof raw.id === 'string' ? ctx.locator.value([...path, 'id']) : ctx.locator.container(path),
    durationSpan: ctx.locator.value([...path, 'duration']),
  };
  // assigned rather than spread from one-key objects: a thousand shots make three thousand of those
  if (camera) shot.camera = camera;
  if (dialogue) shot.dialogue = dialogue;
  if (caption) shot.caption = caption;
  return shot;
}

function mergeSettings(raw: Obj, path: ValuePath, ctx: SceneContext): Settings {
  const out: Partial<Record<SettingKey, Setting<SettingKey>>> = {};
  // `size` and `resolution`/`ratio` say the same thing two ways: what the scene writes replaces the
  // other way inherited from defaults (a conflict is only an error when both are written at one level)
  const sceneSetsSize = raw.size !== undefined;
  const sceneSetsTier = raw.resolution !== undefined || raw.ratio !== undefined;
  for (const key of SETTING_KEYS) {
    const onScene = raw[key] !== undefined;
    if (!onScene && ((key === 'size' && sceneSetsTier) || ((key === 'resolution' || key === 'ratio') && sceneSetsSize))) continue;
    const value = onScene ? raw[key] : ctx.defaults[key];
    if (value === undefined) continue;
    const at: ValuePath = onScene ? [...path, key] : ['defaults', key];
    const v = key === 'transition' ? transitionOf(value as Obj) : key === 'negative_prompt'
      ? ctx.text(at, String(value), ctx.scope, `the negative prompt of scene \`${String(raw.id)}\``).rendered
      : value;
    const spans = onScene ? undefined : ctx.defaultSpans.get(key);
    const span = spans?.span ?? ctx.locator.value(at);
    const keySpan = spans?.keySpan ?? ctx.locator.key(at);
    if (!onScene && !spans) ctx.defaultSpans.set(key, { span, keySpan });
    out[key] = { value: v as SettingValues[SettingKey], span, keySpan, origin: onScene ? 'scene' : 'defaults' };
  }
  return out as Settings;
}

function transitionOf(raw: Obj | undefined): Transition {
  if (!raw) return DEFAULT_TRANSITION;
  return { type: raw.type as Transition['type'], duration: typeof raw.duration === 'number' ? raw.duration : DEFAULT_TRANSITION.duration };
}

function assetRef(ref: string, role: AssetRef['role'], span: Span, diagnostics: Diagnostic[]): AssetRef {
  const r = resolveRef(ref);
  if (r.kind === 'escapes') {
    diagnostics.push({ code: 'path-escapes-project', severity: 'error', span,
      message: `\`${ref}\` is not allowed: ${r.reason}`,
      hint: 'Put the file inside the storyboard\'s directory and refer to it with a relative path, or use an http(s) URL.' });
  }
  return { ref, role, span, kind: r.kind === 'url' ? 'url' : 'local', ...(r.kind === 'local' ? { relative: r.relative } : {}) };
}

function mapTexts(raw: unknown, key: string, make: (path: ValuePath, value: string, name: string) => Text): Record<string, Text> {
  const out: Record<string, Text> = {};
  for (const [name, value] of Object.entries((raw ?? {}) as Record<string, string>)) out[name] = make([key, name], value, name);
  return out;
}

function renderedOf(texts: Record<string, Text>): Record<string, string> {
  return Object.fromEntries(Object.entries(texts).map(([k, t]) => [k, t.rendered]));
}

function normalizeOutput(raw: Obj, storyboardPath: string, locator: Locator, diagnostics: Diagnostic[]): Output {
  const fileRef = typeof raw.file === 'string' ? raw.file : `out/${baseName(storyboardPath)}.mp4`;
  const fileSpan = typeof raw.file === 'string' ? locator.value(['output', 'file']) : undefined;
  const resolved = resolveRef(fileRef);
  if (resolved.kind !== 'local') {
    diagnostics.push({ code: 'path-escapes-project', severity: 'error', span: fileSpan ?? locator.value(['output']),
      message: `Output file \`${fileRef}\` is not allowed: ${resolved.kind === 'url' ? 'it is a URL' : resolved.reason}`,
      hint: 'Write the film inside the storyboard\'s directory, e.g. `out/film.mp4`.' });
  }
  const music = raw.music as Obj | undefined;
  const subs = (raw.subtitles ?? {}) as Obj;
  const res = typeof raw.resolution === 'string' ? raw.resolution.split('*').map(Number) : undefined;
  return {
    file: resolved.kind === 'local' ? resolved.relative : `out/${baseName(storyboardPath)}.mp4`,
    ...(fileSpan ? { fileSpan } : {}),
    ...(res && res[0] && res[1] ? { resolution: { width: res[0], height: res[1] } } : {}),
    fit: (raw.fit as Output['fit']) ?? 'contain',
    transition: transitionOf(raw.transition as Obj | undefined),
    seam: typeof raw.seam === 'number' ? raw.seam : 0,
    ...(music ? { music: {
      file: assetRef(String(music.file), 'music', locator.value(['output', 'music', 'file']), diagnostics),
      volume: typeof music.volume === 'number' ? music.volume : 0.3,
      fadeIn: typeof music.fade_in === 'number' ? music.fade_in : 0,
      fadeOut: typeof music.fade_out === 'number' ? music.fade_out : 0,
      loop: music.loop !== false,
      duck: music.duck === true,
    } } : {}),
    subtitles: { srt: subs.srt !== false, vtt: subs.vtt !== false, burn: subs.burn === true },
    chapters: raw.chapters !== false,
  };
}

/** The YAML source of the node at `path` (to find `{{…}}` in it), read only when a template diagnostic needs it. */
class RawText {
  readonly #locator: Locator;
  readonly #path: ValuePath;
  readonly #source: string;
  #found: { readonly text: string; readonly start: number } | undefined;

  constructor(locator: Locator, path: ValuePath, source: string) {
    this.#locator = locator;
    this.#path = path;
    this.#source = source;
  }

  get text(): string {
    return this.#get().text;
  }

  get start(): number {
    return this.#get().start;
  }

  #get(): { readonly text: string; readonly start: number } {
    if (this.#found) return this.#found;
    const range = this.#locator.node(this.#path)?.range;
    return (this.#found = range ? { text: this.#source.slice(range[0], range[1]), start: range[0] } : { text: '', start: 0 });
  }
}
