import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planJson, requestsJson } from '../src/compiler/plan/plan-json.js';
import { compileFile } from './helpers/compile.js';

const ROOT = 'test/fixtures/compile';

describe('compile fixtures: input.yaml → plan.json', () => {
  for (const name of readdirSync(ROOT).sort()) {
    it(name, async () => {
      const a = planJson(await compileFile(`${ROOT}/${name}/input.yaml`));
      const b = planJson(await compileFile(`${ROOT}/${name}/input.yaml`));
      expect(b).toBe(a);
      await expect(a).toMatchFileSnapshot(`fixtures/compile/${name}/plan.json`);
    });
  }
});

describe('compile invariants', () => {
  it('requests are listed in plan order with method, path and body', async () => {
    const plan = await compileFile(`${ROOT}/chain-and-split/input.yaml`);
    const requests = JSON.parse(requestsJson(plan)) as { clip: string; method: string; path: string; body: unknown }[];
    expect(requests.map((r) => r.clip)).toEqual(plan.jobs.map((j) => j.id));
    for (const r of requests) expect(Object.keys(r).sort()).toEqual(['body', 'clip', 'method', 'path']);
  });
});
