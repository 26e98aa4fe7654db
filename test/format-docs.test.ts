import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultOf, formatReference } from '../scripts/format-docs.js';
import { IMAGE_MODELS } from '../src/compiler/models/image-registry.js';
import { MODELS } from '../src/compiler/models/registry.js';

type SchemaNode = Record<string, unknown>;

const SCHEMA = JSON.parse(readFileSync('schemas/storyboard.schema.json', 'utf8')) as SchemaNode;
const isObject = (v: unknown): v is SchemaNode => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every name under any `properties` of the schema, at any depth. */
function propertyNames(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((v) => propertyNames(v, out));
  if (!isObject(node)) return out;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'examples') continue;
    if (key === 'properties' && isObject(value)) Object.keys(value).forEach((k) => out.add(k));
    propertyNames(value, out);
  }
  return out;
}

describe('docs/format.md', () => {
  const doc = readFileSync('docs/format.md', 'utf8');

  it('is exactly what the generator makes from the schema and the registry', () => {
    expect(doc, 'docs/format.md is out of date: run `node --import tsx scripts/generate-docs.ts` and commit the result').toBe(formatReference(SCHEMA, [...MODELS.values()]));
  });

  it('mentions every property of the schema, as a heading', () => {
    const names = [...propertyNames(SCHEMA)];
    expect(names.length).toBeGreaterThan(40);
    const headings = doc.split('\n').filter((l) => l.startsWith('### '));
    const missing = names.filter((n) => !headings.some((h) => h.endsWith(`\`${n}\``) || h.endsWith(`.${n}\``)));
    expect(missing).toEqual([]);
  });

  it('lists every model with its prices', () => {
    for (const model of MODELS.values()) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${model.id}\` |`));
      expect(row, model.id).toBeDefined();
      for (const [tier, usd] of Object.entries(model.price)) expect(row).toContain(`${tier} $${usd < 0.1 ? usd : usd.toFixed(2)}`);
    }
  });

  it('lists every image model with its call, default size and price per image', () => {
    const section = doc.slice(doc.indexOf('## Image models'));
    for (const model of IMAGE_MODELS.values()) {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${model.id}\` |`));
      expect(row, model.id).toBeDefined();
      expect(row).toContain(`${model.mode}, `);
      expect(row).toContain(`(default \`${model.sizes.default}\`)`);
      expect(row).toContain(`| $${model.pricePerImage} |`);
    }
    expect(doc).toContain('- Type: string: the id of a model in [Image models](#image-models)');
  });
});

describe('formatReference', () => {
  it('is pure: the same input gives the same text, and models are optional', () => {
    expect(formatReference(SCHEMA)).toBe(formatReference(SCHEMA, [...MODELS.values()]));
    expect(formatReference(SCHEMA, [])).not.toContain('| `wan2.7-t2v` |');
  });

  it('gives every key its type or allowed values and an example in YAML', () => {
    const doc = formatReference(SCHEMA);
    const section = (heading: string): string => doc.slice(doc.indexOf(`### \`${heading}\``)).split('\n### ')[0] ?? '';
    expect(section('transition.type')).toContain('one of `cut`, `dissolve`, `fade`, `wipeleft`');
    expect(section('scenes[].shots[].duration')).toContain('- Type: number, > 0, ≤ 3600\n- Required');
    expect(section('output.music.volume')).toContain('- Default: 0.3');
    expect(section('output.music.file')).toContain('```yaml\nfile: audio/score.mp3\n```');
    expect(section('defaults')).toContain('[settings](#settings)');
    expect(section('audio')).toContain('audio: audio/voice.mp3\n# or\naudio: false');
  });
});

describe('defaultOf', () => {
  it('reads the default a description states, and nothing else', () => {
    expect(defaultOf('Length in seconds. Default 0.5.')).toBe('0.5');
    expect(defaultOf('Where it goes. Default `out/x.mp4`.')).toBe('`out/x.mp4`');
    expect(defaultOf('Human title. Defaults to the id.')).toBe('the id');
    expect(defaultOf('Write it. Default true when any shot has text.')).toBe('true when any shot has text');
    expect(defaultOf('Output size. Default: the size of the first clip.')).toBe('the size of the first clip');
    expect(defaultOf('Dissolve length; 0 (the default) joins them.')).toBe('`0`');
    expect(defaultOf('Default transition between scenes. Default `cut`.')).toBe('`cut`');
    expect(defaultOf('A default that a scene\'s model does not take is ignored.')).toBeUndefined();
    expect(defaultOf('Add the watermark.')).toBeUndefined();
  });
});
