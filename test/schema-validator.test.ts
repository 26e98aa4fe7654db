import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { VALIDATOR_FILE, VALIDATOR_OPTIONS, validatorSource } from '../scripts/validator-source.js';
import { validateStoryboardSchema } from '../src/compiler/schema-validator.generated.js';

const SCHEMA = JSON.parse(readFileSync('schemas/storyboard.schema.json', 'utf8')) as object;
const compiled = new Ajv2020(VALIDATOR_OPTIONS).compile(SCHEMA);

/** Storyboard values as written: the examples and every invalid fixture that is YAML at all. */
function values(): { name: string; value: unknown }[] {
  const files = [
    ...readdirSync('storyboards').filter((f) => f.endsWith('.yaml')).map((f) => `storyboards/${f}`),
    ...readdirSync('test/fixtures/invalid').map((d) => `test/fixtures/invalid/${d}/input.yaml`),
  ];
  const out: { name: string; value: unknown }[] = [];
  for (const file of files) {
    try {
      out.push({ name: file, value: parse(readFileSync(file, 'utf8')) as unknown });
    } catch {
      // not readable or not YAML: the schema never sees it
    }
  }
  return out;
}

/** Both validators' verdict and errors (keyword, paths, params, schema, parentSchema, data) for one value. */
function both(value: unknown): { generated: unknown; compiled: unknown } {
  const g = validateStoryboardSchema(value);
  const generated = { valid: g, errors: validateStoryboardSchema.errors ?? null };
  const c = compiled(value);
  return { generated, compiled: { valid: c, errors: compiled.errors ?? null } };
}

const REPLACEMENTS: unknown[] = [null, '', 'x', -1, 0, 2.5, 1e9, true, [], {}, { bogus: 1 }, ['a'], 'wan9-t2v', '1280*720', 'a'.repeat(5000), '\u{1F3AC}'.repeat(3000)];

/** A copy of `value` with one random node replaced, deleted or given an unknown key. */
function mutate(value: unknown, random: () => number): unknown {
  const copy = structuredClone(value) as unknown;
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x, i) => { nodes.push({ parent: v, key: i }); walk(x); });
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { nodes.push({ parent: v as Record<string, unknown>, key: k }); walk(x); }
  };
  walk(copy);
  const node = nodes[Math.floor(random() * nodes.length)];
  if (!node) return copy;
  const parent = node.parent as Record<string | number, unknown>;
  const r = random();
  if (r < 0.2 && !Array.isArray(node.parent)) delete parent[node.key];
  else if (r < 0.3 && parent[node.key] && typeof parent[node.key] === 'object' && !Array.isArray(parent[node.key])) (parent[node.key] as Record<string, unknown>).unknown_key = 1;
  else parent[node.key] = REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)];
  return copy;
}

describe(VALIDATOR_FILE, () => {
  it('is exactly what the generator makes from the schema', () => {
    expect(readFileSync(VALIDATOR_FILE, 'utf8'), `${VALIDATOR_FILE} is out of date: run \`node --import tsx scripts/generate-validator.ts\` (or npm run build) and commit the result`)
      .toBe(validatorSource(SCHEMA));
  });

  it('gives the same verdict and error objects as ajv compiling the schema at run time', () => {
    const all = values();
    expect(all.length).toBeGreaterThan(40);
    let seed = 20261127;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let invalid = 0;
    for (const { name, value } of all) {
      const r = both(value);
      expect(r.generated, name).toEqual(r.compiled);
      for (let n = 0; n < 20; n++) {
        const mutated = mutate(value, random);
        const m = both(mutated);
        expect(m.generated, `${name}, mutation ${n}`).toEqual(m.compiled);
        if (!(m.compiled as { valid: boolean }).valid) invalid++;
      }
    }
    expect(invalid).toBeGreaterThan(500);
  });
});
