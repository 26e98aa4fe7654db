import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { planJson } from '../src/compiler/plan/plan-json.js';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';
import { compileFile } from './helpers/compile.js';

// The plan schema is the contract between `storyboard compile` and a render: every plan the compiler
// prints must validate, and the schema must be closed (no property a renderer would not know about).

type SchemaNode = Record<string, unknown>;

const PLAN_SCHEMA = JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as SchemaNode;
const FIXTURES = 'test/fixtures/compile';
const STORYBOARDS = 'storyboards';

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }).compile(PLAN_SCHEMA);
  return compiled;
}

/** Schema errors of a plan as `pointer: message` lines (empty when it validates). */
function problems(plan: unknown): string[] {
  const validate = validator();
  if (validate(plan)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

/** The plan exactly as printed (canonical JSON, optional fields omitted). */
const printed = (plan: Parameters<typeof planJson>[0]): unknown => JSON.parse(planJson(plan));

const isObject = (v: unknown): v is SchemaNode => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every subschema of a schema with its JSON pointer. */
function subschemas(node: SchemaNode, pointer = '#'): { pointer: string; node: SchemaNode; key: string }[] {
  const out: { pointer: string; node: SchemaNode; key: string }[] = [];
  const add = (child: unknown, p: string, key: string): void => {
    if (!isObject(child)) return;
    out.push({ pointer: p, node: child, key }, ...subschemas(child, p));
  };
  for (const map of ['properties', '$defs'] as const) {
    const m = node[map];
    if (isObject(m)) for (const [k, v] of Object.entries(m)) add(v, `${pointer}/${map}/${k}`, map);
  }
  for (const single of ['items', 'additionalProperties'] as const) add(node[single], `${pointer}/${single}`, single);
  for (const list of ['oneOf', 'anyOf', 'allOf'] as const) {
    const l = node[list];
    if (Array.isArray(l)) l.forEach((v, i) => add(v, `${pointer}/${list}/${i}`, list));
  }
  return out;
}

describe('schemas/plan.schema.json', () => {
  it('is a closed, documented JSON Schema 2020-12 with its own id', () => {
    expect(PLAN_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(PLAN_SCHEMA.$id).toBe('urn:storyboard-compiler:plan:1');
    expect(String(PLAN_SCHEMA.description)).toContain('storyboard compile');
    const nodes = [{ pointer: '#', node: PLAN_SCHEMA, key: '' }, ...subschemas(PLAN_SCHEMA)];
    const open = nodes.filter(({ node }) => node.type === 'object' && node.additionalProperties !== false).map((n) => n.pointer);
    expect(open, 'objects that allow unknown properties').toEqual([]);
    const undocumented = nodes
      .filter(({ node, key }) => !(key === 'items' && Object.keys(node).join() === '$ref'))
      .filter(({ node }) => typeof node.description !== 'string' || node.description.trim() === '')
      .map((n) => n.pointer);
    expect(undocumented, 'subschemas without a description').toEqual([]);
  });

  for (const name of readdirSync(FIXTURES).sort()) {
    it(`accepts the snapshot plan of compile fixture ${name}`, () => {
      const plan: unknown = JSON.parse(readFileSync(`${FIXTURES}/${name}/plan.json`, 'utf8'));
      expect(problems(plan)).toEqual([]);
    });
  }

  for (const f of readdirSync(STORYBOARDS).filter((n) => n.endsWith('.yaml')).sort()) {
    it(`accepts the plan of storyboards/${f}`, async () => {
      expect(problems(printed(await compileFile(`${STORYBOARDS}/${f}`)))).toEqual([]);
    });
  }

  it('accepts the optional parts no example uses: no title, output size, music, URL inputs, driving audio', () => {
    const text = [
      'version: 1',
      'output:',
      '  resolution: "1280*720"',
      '  fit: cover',
      '  music: { file: "https://example.com/score.mp3", volume: 0.5, fade_in: 1, fade_out: 2, duck: true }',
      '  subtitles: { burn: true }',
      '  transition: { type: wipeleft, duration: 1 }',
      'scenes:',
      '  - id: talk',
      '    model: wan2.7-i2v',
      '    first_frame: "https://example.com/first.png"',
      '    audio: "https://example.com/voice.mp3"',
      '    negative_prompt: blurry',
      '    seed: 7',
      '    shots:',
      '      - { id: hello, duration: 3, prompt: a woman waves, dialogue: Hello!, caption: Day one }',
      '      - { duration: 2, prompt: she smiles }',
      '  - id: flash',
      '    model: wan2.6-i2v-flash',
      '    first_frame: "https://example.com/flash.png"',
      '    audio: false',
      '    duration: 5',
      '    prompt: a flash of light',
      '',
    ].join('\n');
    const result = validateStoryboard({ path: 'inline.yaml', text });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    if (!result.ok) return;
    const plan = printed(planStoryboard(result.value)) as { storyboard: object; stitch: object; jobs: { request: { body: { input: object } } }[] };
    expect(plan.storyboard).not.toHaveProperty('title');
    expect(plan.stitch).toHaveProperty('size');
    expect(plan.stitch).toHaveProperty('music');
    expect(plan.jobs[0]?.request.body.input).toHaveProperty('media');
    expect(problems(plan)).toEqual([]);
  });

  describe('rejects what is not a plan (so the checks above can fail)', () => {
    const fixture = (): Record<string, unknown> & { stitch: { joins: Record<string, unknown>[] }; jobs: Record<string, unknown>[] } =>
      JSON.parse(readFileSync(`${FIXTURES}/chain-and-split/plan.json`, 'utf8')) as never;

    it('an extra property', () => {
      const plan = fixture();
      plan.extra = true;
      expect(problems(plan)).toContainEqual(expect.stringMatching(/^\/: must NOT have additional properties .*"extra"/));
    });

    it('a join type that is not a transition or a seam', () => {
      const plan = fixture();
      const join = plan.stitch.joins[0];
      if (join) join.type = 'crossfade';
      expect(problems(plan)).toContainEqual(expect.stringMatching(/^\/stitch\/joins\/0\/type: must be equal to one of the allowed values/));
    });

    it('an input source with two shapes at once, and a missing required property', () => {
      const plan = fixture();
      const job = plan.jobs[1] as { inputs: { from: Record<string, unknown> }[]; seed?: unknown };
      const input = job.inputs[0];
      if (input) input.from = { ...input.from, url: 'https://example.com/a.png' };
      delete job.seed;
      const found = problems(plan);
      expect(found).toContainEqual(expect.stringMatching(/^\/jobs\/1\/inputs\/0\/from: must match exactly one schema in oneOf/));
      expect(found).toContainEqual(expect.stringMatching(/^\/jobs\/1: must have required property 'seed'/));
    });
  });
});
