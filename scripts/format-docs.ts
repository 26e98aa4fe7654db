import { stringify } from 'yaml';
import { IMAGE_MODELS } from '../src/compiler/models/image-registry.js';
import { describeDuration, MODELS } from '../src/compiler/models/registry.js';
import type { ImageModelSpec, ModelSpec, Resolution } from '../src/compiler/models/types.js';

// Generates docs/format.md from the storyboard schema and the model registry: the schema is the one place
// where keys are described, so the reference can never say something the schema does not.

type Node = Readonly<Record<string, unknown>>;

/** One part of the format, documented as a heading with one entry per key. */
interface Section {
  readonly title: string;
  /** Path to the subschema from the schema's root. */
  readonly path: readonly string[];
  /** Prefix of the key names in headings, e.g. `output.`. */
  readonly prefix: string;
  /** Where the keys are written, in words. */
  readonly where: string;
}

const SECTIONS: readonly Section[] = [
  { title: 'Top level', path: [], prefix: '', where: 'The keys of the storyboard file itself.' },
  { title: 'Settings', path: ['$defs', 'settings'], prefix: '', where: 'Written in `defaults` (inherited by every scene) or on a scene (which then overrides the default).' },
  { title: 'Scene', path: ['$defs', 'scene'], prefix: 'scenes[].', where: 'Each item of `scenes`. A scene also takes every key of [Settings](#settings).' },
  { title: 'Shot', path: ['$defs', 'shot'], prefix: 'scenes[].shots[].', where: 'Each item of a scene\'s `shots`.' },
  { title: 'Part', path: ['$defs', 'part'], prefix: 'scenes[].parts[].', where: 'An item of a scene\'s `parts` written as an object (a plain string is the part\'s prompt).' },
  { title: 'Clip continuation', path: ['$defs', 'clipContinuation'], prefix: 'scenes[].continues.', where: 'A scene\'s `continues` written as an object: continue that scene\'s last clip by clip (wan2.7-i2v `first_clip`) instead of from its last frame.' },
  { title: 'Character', path: ['$defs', 'character'], prefix: 'characters.<name>.', where: 'Each value under `characters`, written as text (the description) or as an object with these keys.' },
  { title: 'Still', path: ['$defs', 'still'], prefix: 'stills[].', where: 'Each item of `stills`.' },
  { title: 'Still reference', path: ['$defs', 'stillRef'], prefix: '<image>.', where: 'An image written as `{ still: id }` instead of a file or URL: `first_frame`, `last_frame`, a character\'s `image`, an item of a still\'s `images`.' },
  { title: 'Output', path: ['$defs', 'output'], prefix: 'output.', where: 'The `output` key at the top level.' },
  { title: 'Transition', path: ['$defs', 'transition'], prefix: 'transition.', where: 'The value of `output.transition` and of the `transition` setting.' },
  { title: 'Music', path: ['$defs', 'output', 'properties', 'music'], prefix: 'output.music.', where: 'The `output.music` key.' },
  { title: 'Subtitles', path: ['$defs', 'output', 'properties', 'subtitles'], prefix: 'output.subtitles.', where: 'The `output.subtitles` key.' },
];


const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const code = (v: unknown): string => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
const sentence = (s: string): string => s.trim().replace(/\.$/, '');

/**
 * The format reference as Markdown: one section per part of the storyboard (top level, settings, scene, shot,
 * output, transition, music, subtitles), one entry per key with its type or allowed values, default (where the
 * description states one), description and example as YAML; then a table of the models. Pure.
 */
export function formatReference(schema: object, models: readonly ModelSpec[] = [...MODELS.values()], imageModels: readonly ImageModelSpec[] = [...IMAGE_MODELS.values()]): string {
  const root = schema as Node;
  const parts = [
    '# Storyboard format reference',
    '<!-- Generated from schemas/storyboard.schema.json and src/compiler/models/registry.ts by scripts/generate-docs.ts: do not edit by hand. -->',
    `${String(root.description ?? '')} This page lists every key a storyboard may contain; outside \`vars\`, \`characters\` and \`styles\` (whose keys are your names), any other key is an error.`,
    'Contents: ' + [...SECTIONS.map((s) => s.title), 'Models', 'Image models'].map((t) => `[${t}](#${anchor(t)})`).join(' · '),
    ...SECTIONS.map((s) => formatSection(root, s)),
    modelsSection(models),
    imageModelsSection(imageModels),
  ];
  return parts.join('\n\n') + '\n';
}

function formatSection(root: Node, section: Section): string {
  const node = objectForm(at(root, section.path));
  const props = isNode(node.properties) ? node.properties : {};
  const required = Array.isArray(node.required) ? node.required : [];
  const intro = section.path.length ? `${String(node.description ?? '')} ${section.where}` : section.where;
  const entries = Object.entries(props).filter((e): e is [string, Node] => isNode(e[1]))
    .map(([key, prop]) => formatKey(root, { heading: section.prefix + key, key, prop, parent: node, required: required.includes(key), still: section.title === 'Still' }));
  return [`## ${section.title}`, intro.trim(), ...entries].join('\n\n');
}

interface KeyFacts {
  readonly heading: string;
  readonly key: string;
  readonly prop: Node;
  readonly parent: Node;
  readonly required: boolean;
  /** A key of a still, whose `model` is an image model. */
  readonly still?: boolean;
}

function formatKey(root: Node, { heading, key, prop, parent, required, still }: KeyFacts): string {
  const target = refTarget(root, prop);
  const description = String(prop.description ?? target?.description ?? '');
  const def = defaultOf(description);
  const type = key === 'model' ? `string: the id of a model in ${still ? '[Image models](#image-models)' : '[Models](#models)'}` : typeOf(root, prop);
  const facts = [`- Type: ${type}`, ...(required ? ['- Required'] : []), ...(def ? [`- Default: ${def}`] : [])];
  const examples = examplesOf(prop, parent, key, target);
  const yaml = examples.length ? ['```yaml', examples.map((e) => stringify({ [key]: e }).trimEnd()).join('\n# or\n'), '```'].join('\n') : '';
  return [`### \`${heading}\``, description, facts.join('\n'), yaml].filter((p) => p !== '').join('\n\n');
}

/** Up to three examples: the key's own, else the value in its parent's first example that has it, else its definition's. */
function examplesOf(prop: Node, parent: Node, key: string, target: Node | undefined): unknown[] {
  if (Array.isArray(prop.examples)) return prop.examples.slice(0, 3);
  const inParent = Array.isArray(parent.examples) ? parent.examples.find((e): e is Node => isNode(e) && e[key] !== undefined)?.[key] : undefined;
  if (inParent !== undefined) return [inParent];
  return Array.isArray(target?.examples) ? target.examples.slice(0, 3) : [];
}

/** The subschema at a path of property names. */
function at(root: Node, path: readonly string[]): Node {
  let node: Node = root;
  for (const key of path) node = isNode(node[key]) ? node[key] : {};
  return node;
}

/** A definition written in several forms (`anyOf`) documented by its object form's keys, with the definition's description. */
function objectForm(node: Node): Node {
  if (isNode(node.properties) || !Array.isArray(node.anyOf)) return node;
  const object = node.anyOf.find((f): f is Node => isNode(f) && isNode(f.properties));
  return object ? { ...object, description: node.description, examples: node.examples } : node;
}

/** The definition a local `$ref` (`#/$defs/x`) points at. */
function refTarget(root: Node, node: Node): Node | undefined {
  if (typeof node.$ref !== 'string') return undefined;
  const target = at(root, node.$ref.replace(/^#\//, '').split('/'));
  return Object.keys(target).length ? target : undefined;
}

/** The type or allowed values of a subschema, with its constraints, in words. */
function typeOf(root: Node, node: Node): string {
  if ('const' in node) return `always ${code(node.const)}`;
  if (Array.isArray(node.enum)) return `one of ${node.enum.map(code).join(', ')}`;
  const target = refTarget(root, node);
  const forms = Array.isArray((target ?? node).anyOf) ? ((target ?? node).anyOf as unknown[]).filter(isNode) : [];
  // objects documented in a section of their own are linked to, not repeated (with their other forms, if any)
  const section = SECTIONS.find((s) => s.path.length > 0 && at(root, s.path) === (target ?? node));
  if (section) {
    const others = forms.filter((f) => !isNode(f.properties)).map((f) => typeOf(root, f));
    return [...others, `object: [${section.title.toLowerCase()}](#${anchor(section.title)})`].join('; or ');
  }
  // a value written in one of several forms: each form in words
  if (forms.length) return forms.map((f) => typeOf(root, f)).join('; or ');
  if (target) return `${typeOf(root, target)}: ${sentence(String(target.description ?? '')).replace(/^A /, 'a ').replace(/^An /, 'an ')}`;
  const types = Array.isArray(node.type) ? node.type.map(String) : typeof node.type === 'string' ? [node.type] : [];
  let base = types.join(' or ');
  if (types.includes('array') && isNode(node.items)) base = `list of ${typeOf(root, node.items)}`;
  if (types.includes('object') && isNode(node.additionalProperties)) {
    const keys = isNode(node.propertyNames) ? typeOf(root, node.propertyNames) : 'string';
    base = `map from key (${keys}) to ${typeOf(root, node.additionalProperties)}`;
  }
  const limits = constraints(node);
  return limits.length ? `${base}, ${limits.join(', ')}` : base;
}

function constraints(node: Node): string[] {
  const words: [string, (n: unknown) => string][] = [
    ['exclusiveMinimum', (n) => `> ${String(n)}`], ['minimum', (n) => `≥ ${String(n)}`], ['maximum', (n) => `≤ ${String(n)}`],
    ['minLength', (n) => `at least ${String(n)} character${n === 1 ? '' : 's'}`], ['maxLength', (n) => `at most ${String(n)} characters`],
    ['minItems', (n) => `at least ${String(n)} item${n === 1 ? '' : 's'}`], ['pattern', (n) => `matching ${code(n)}`],
  ];
  return words.filter(([k]) => node[k] !== undefined).map(([k, f]) => f(node[k]));
}

/**
 * The default a description states, if any: "Default 0.5." → `0.5`; "Defaults to the id." → `the id`;
 * "0 (the default) …" → `0`; a sentence that says "defaults to" or "default is" mid-way, verbatim.
 */
export function defaultOf(description: string): string | undefined {
  for (const s of description.split(/(?<=\.)\s+/).map(sentence)) {
    const lead = /^Defaults? to (.+)$/.exec(s) ?? /^Default: (.+)$/.exec(s) ?? /^Default ((?:`[^`]+`|true|false|-?[0-9.]+)(?: .*)?)$/.exec(s);
    if (lead?.[1]) return lead[1];
    const marked = /(\S+) \(the default\)/.exec(s);
    if (marked?.[1]) return code(marked[1].replace(/[`;,]/g, ''));
    if (/\bdefault is\b/.test(s)) return s.split(';')[0];
    if (/\bdefaults to\b/.test(s)) return s;
  }
  return undefined;
}

function modelsSection(models: readonly ModelSpec[]): string {
  const header = '| model | kind | frames | resolutions | durations | prompt | audio | multi-shot | USD per second | limits | long scenes continue on |';
  const rows = models.map((m) => `| ${[
    `\`${m.id}\``, m.kind, framesOf(m), `${m.resolutions.join(', ')} (default ${m.defaultResolution})`,
    `${describeDuration(m.duration)} (default ${m.duration.default})`,
    `${m.prompt.required ? 'required' : 'optional'}, at most ${m.prompt.max} characters; negative prompt at most ${m.negativePromptMax}`,
    audioOf(m), multiShotOf(m), priceOf(m), `${m.limits.rps} task${m.limits.rps === 1 ? '' : 's'}/s, ${m.limits.concurrency} at once`,
    m.continuation ? `\`${m.continuation}\`` : '—',
  ].map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  const notes = models.filter((m) => m.note).map((m) => `- \`${m.id}\`: ${m.note}`);
  return [
    '## Models',
    'Generated from `src/compiler/models/registry.ts`. Kinds: `t2v` text-to-video, `i2v` image-to-video (starts on a first frame), '
      + '`kf2v` first and last frame, `r2v` reference-to-video (sends the scene\'s characters\' images and videos). Prices are the Singapore list prices the registry holds, used for estimates; the service bills what it bills.',
    [header, `|${' --- |'.repeat(11)}`, ...rows].join('\n'),
    ...(notes.length ? ['Notes from the registry:', notes.join('\n')] : []),
  ].join('\n\n');
}

function framesOf(m: ModelSpec): string {
  if (!m.frames.first) return `none${referencesOf(m)}`;
  const last = m.frames.last ? (m.frames.lastRequired ? ' + last (both required)' : ' + optional last') : '';
  const img = m.frames.image;
  const limits = img ? `; images ${img.minSide}–${img.maxSide} px, at most ${img.maxBytes / 1048576} MB${img.maxAspect ? `, aspect up to 1:${img.maxAspect}` : ''}` : '';
  return `first${last}${limits}${referencesOf(m)}`;
}

/** What a reference-to-video model takes, in words (empty for other models). */
function referencesOf(m: ModelSpec): string {
  const r = m.references;
  if (!r) return '';
  const labels = r.labels === 'per-type' ? '`Image 1`, `Video 1`' : '`character1`, `character2`';
  return `; references in \`${r.field}\`: up to ${r.maxImages} images, ${r.maxVideos} videos, ${r.maxTotal} in all, named ${labels}; videos ${r.video.minSeconds}–${r.video.maxSeconds} s`
    + `${r.maxDurationWithVideo ? ` (clips up to ${r.maxDurationWithVideo} s with one)` : ''}${r.voice ? '; a voice per reference' : ''}${r.oneSubject ? '; one subject per reference' : ''}`;
}

function audioOf(m: ModelSpec): string {
  const parts = [m.audio.generates ? 'generates sound' : 'silent'];
  const input = m.audio.input;
  if (input) parts.push(`driving audio (\`${input.field}\`) ${input.minSeconds}–${input.maxSeconds} s, at most ${input.maxBytes / 1048576} MB`);
  if (m.audio.canSilence) parts.push('`audio: false` makes it silent');
  return parts.join('; ');
}

function multiShotOf(m: ModelSpec): string {
  if (m.multiShot === 'prompt') return 'yes: `Shot 1 [0-3 s]: …` in the prompt';
  if (m.multiShot === 'shot_type') return 'yes: `Shot 1 [0-3 s]: …` in the prompt and `shot_type: multi`';
  return 'no: one clip per shot';
}

function priceOf(m: ModelSpec): string {
  const list = (table: Partial<Record<Resolution, number>>): string =>
    Object.entries(table).map(([tier, usd]) => `${tier} $${usd.toFixed(Math.max(2, String(usd).split('.')[1]?.length ?? 0))}`).join(', ');
  return list(m.price) + (m.silentPrice ? `; silent: ${list(m.silentPrice)}` : '');
}

function imageModelsSection(models: readonly ImageModelSpec[]): string {
  const header = '| model | call | sizes | prompt | input images | USD per image | limits |';
  const rows = models.map((m) => `| ${[
    `\`${m.id}\``, `${m.mode}, \`${m.protocol === 'prompt' ? 'input.prompt' : 'input.messages'}\` (\`${m.endpoint}\`)`, sizesOf(m),
    `at most ${m.prompt.max} characters; negative prompt at most ${m.negativePromptMax}`,
    m.inputImages ? `up to ${m.inputImages}` : 'none', `$${m.pricePerImage}`, `${m.limits.rps} task${m.limits.rps === 1 ? '' : 's'}/s, ${m.limits.concurrency} at once`,
  ].map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  const notes = models.filter((m) => m.note).map((m) => `- \`${m.id}\`: ${m.note}`);
  return [
    '## Image models',
    'Generated from `src/compiler/models/image-registry.ts`. The models a still (`stills[].model`) can use; every still asks for one image (`n: 1`).',
    [header, `|${' --- |'.repeat(7)}`, ...rows].join('\n'),
    ...(notes.length ? ['Notes from the registry:', notes.join('\n')] : []),
  ].join('\n\n');
}

function sizesOf(m: ImageModelSpec): string {
  const s = m.sizes;
  const named = s.named.length ? `, or ${s.named.map((n) => `\`${n}\``).join(', ')}` : '';
  const sizes = s.kind === 'list' ? s.values.map((v) => `\`${v}\``).join(', ') : `\`W*H\` with sides ${s.minSide}–${s.maxSide}`;
  return `${sizes}${named} (default \`${s.default}\`)`;
}

/** A GitHub heading anchor: lower case, spaces to `-`. */
function anchor(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}
