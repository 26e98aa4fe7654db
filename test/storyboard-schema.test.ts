import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../src/compiler/models/registry.js';

// Editors (yaml-language-server, VS Code) show a property's `description` on hover and offer its
// `examples` for completion: every property must have both, and every example must be valid.

type SchemaNode = Record<string, unknown>;

const SCHEMA_FILE = 'schemas/storyboard.schema.json';
const ROOT = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SchemaNode;
const ID = 'urn:storyboard-compiler:storyboard:1';
const MODELINE = '# yaml-language-server: $schema=../schemas/storyboard.schema.json';

const isObject = (v: unknown): v is SchemaNode => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Escapes one JSON pointer token. */
const token = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Where a subschema sits: under `properties`, `$defs`, `additionalProperties`, `items` or an applicator. */
type Place = 'root' | 'properties' | '$defs' | 'additionalProperties' | 'items' | 'applicator';

interface Located {
  readonly pointer: string;
  readonly place: Place;
  readonly node: SchemaNode;
}

/** Every subschema of the storyboard schema with its JSON pointer (`#/…`). */
function walk(node: SchemaNode, pointer: string, place: Place, out: Located[] = []): Located[] {
  out.push({ pointer, place, node });
  for (const map of ['properties', '$defs'] as const) {
    const m = node[map];
    if (isObject(m)) for (const [k, v] of Object.entries(m)) if (isObject(v)) walk(v, `${pointer}/${map}/${token(k)}`, map, out);
  }
  for (const single of ['items', 'additionalProperties'] as const) {
    const v = node[single];
    if (isObject(v)) walk(v, `${pointer}/${single}`, single, out);
  }
  for (const list of ['oneOf', 'anyOf', 'allOf'] as const) {
    const l = node[list];
    if (Array.isArray(l)) l.forEach((v, i) => { if (isObject(v)) walk(v, `${pointer}/${list}/${i}`, 'applicator', out); });
  }
  return out;
}

const NODES = walk(ROOT, '#', 'root');

/** The subschema a local `$ref` (`#/…`) points at. */
function deref(ref: string): SchemaNode | undefined {
  return NODES.find((n) => n.pointer === ref)?.node;
}

/** A subschema that only refers to another one (nothing but `$ref`, perhaps with a description). */
const isPureRef = (node: SchemaNode): boolean =>
  typeof node.$ref === 'string' && Object.keys(node).every((k) => k === '$ref' || k === 'description');
/** A subschema that says what a value is (`type`, `enum` or `const`) rather than only referring elsewhere. */
const isLeaf = (node: SchemaNode): boolean => !isPureRef(node) && ('type' in node || 'enum' in node || 'const' in node);
const hasText = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

describe('schemas/storyboard.schema.json helps editors', () => {
  it('the walk finds the whole schema', () => {
    // guards against a walk that silently visits nothing
    expect(NODES.length).toBeGreaterThan(60);
    expect(NODES.map((n) => n.pointer)).toContain('#/$defs/output/properties/music/properties/fade_in');
  });

  it('every property, definition, item and map value has a description', () => {
    const missing = NODES.filter(({ node, place }) => {
      if (place === 'root' || place === 'applicator') return false;
      if (hasText(node.description)) return false;
      // `items: { $ref }` and `additionalProperties: { $ref }` show the description of what they refer to
      if ((place === 'items' || place === 'additionalProperties') && isPureRef(node)) return hasText(deref(String(node.$ref))?.description) === false;
      return true;
    }).map((n) => n.pointer);
    expect(missing, 'subschemas without a description').toEqual([]);
  });

  it('every leaf property (with `type`, `enum` or `const`) has examples', () => {
    const missing = NODES
      .filter(({ node, place }) => place !== 'root' && place !== 'applicator' && isLeaf(node))
      .filter(({ node }) => !Array.isArray(node.examples) || node.examples.length === 0)
      .map((n) => n.pointer);
    expect(missing, 'leaf subschemas without examples').toEqual([]);
  });

  it('every example validates against the subschema it belongs to', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    ajv.addSchema(ROOT);
    const withExamples = NODES.filter(({ node }) => Array.isArray(node.examples));
    expect(withExamples.length).toBeGreaterThan(40);
    const bad: string[] = [];
    for (const { pointer, node } of withExamples) {
      const validate = ajv.getSchema(`${ID}${pointer}`);
      if (!validate) {
        bad.push(`${pointer}: cannot be compiled`);
        continue;
      }
      (node.examples as unknown[]).forEach((example, i) => {
        if (!validate(example)) bad.push(`${pointer}/examples/${i} ${JSON.stringify(example)}: ${ajv.errorsText(validate.errors)}`);
      });
    }
    expect(bad, 'examples that their own schema rejects').toEqual([]);
  });

  it('a wrong example would be caught', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    ajv.addSchema(ROOT);
    expect(ajv.getSchema(`${ID}#/$defs/settings/properties/resolution`)?.('720p')).toBe(false);
    expect(ajv.getSchema(`${ID}#/$defs/shot`)?.({ duration: 3 })).toBe(false);
  });

  it('`model` offers exactly the models of the registry', () => {
    const model = deref('#/$defs/settings/properties/model');
    const examples = (model?.examples ?? []) as unknown[];
    expect([...examples].sort()).toEqual([...MODELS.keys()].sort());
  });

  describe('every example storyboard names the schema on its first line', () => {
    const files = readdirSync('storyboards').filter((f) => f.endsWith('.yaml')).sort();
    it('there are example storyboards', () => expect(files.length).toBeGreaterThan(0));
    for (const f of files) {
      it(f, () => {
        const path = `storyboards/${f}`;
        const first = readFileSync(path, 'utf8').split(/\r?\n/, 1)[0] ?? '';
        expect(first).toBe(MODELINE);
        const target = /\$schema=(\S+)/.exec(first)?.[1] ?? '';
        expect(resolve(dirname(path), target)).toBe(resolve(SCHEMA_FILE));
      });
    }
  });
});
