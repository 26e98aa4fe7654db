import { describe, expect, it } from 'vitest';
import { fakeBackend } from './helpers/fake-backend.js';
import { planOf, workspace } from './helpers/run-fixture.js';

const CHAIN = `version: 1
title: Chain
scenes:
  - { id: a, model: wan2.2-t2v-plus, prompt: A., size: "832*480" }
  - { id: b, model: wan2.2-i2v-flash, continues: a, prompt: B. }
  - { id: c, model: wan2.2-i2v-flash, continues: b, prompt: C. }
  - { id: d, model: wan2.2-t2v-plus, prompt: D., size: "832*480" }
`;

describe('runPlan', () => {
  it('runs clips in dependency order and independent clips in parallel', async () => {
    const ws = await workspace();
    const backend = fakeBackend({ delayMs: 150 });
    const r = await ws.run(planOf(CHAIN), backend);
    expect(r.failures).toEqual([]);
    expect([...r.results.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    const order = r.events.filter((e) => e.type === 'started').map((e) => e.clip);
    expect(order.indexOf('a')).toBeLessThan(order.indexOf('b'));
    expect(order.indexOf('b')).toBeLessThan(order.indexOf('c'));
    // d does not wait for the chain: it starts before a finishes
    const startD = r.events.findIndex((e) => e.type === 'started' && e.clip === 'd');
    const doneA = r.events.findIndex((e) => e.type === 'rendered' && e.clip === 'a');
    expect(startD).toBeLessThan(doneA);
    expect(r.results.get('a')?.lastFrame).toBeDefined();
  });

  it('a second run of the same plan renders nothing', async () => {
    const ws = await workspace();
    const plan = planOf(CHAIN);
    await ws.run(plan, fakeBackend());
    const again = fakeBackend();
    const r = await ws.run(plan, again);
    expect(again.submitted).toEqual([]);
    expect(r.events.filter((e) => e.type === 'cached').map((e) => e.clip).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('editing the middle clip of a chain re-renders it and the clips after it, nothing else', async () => {
    const ws = await workspace();
    await ws.run(planOf(CHAIN), fakeBackend());
    const edited = fakeBackend();
    await ws.run(planOf(CHAIN.replace('prompt: B.', 'prompt: B edited.')), edited);
    expect(edited.submitted.sort()).toEqual(['b', 'c']);
  });

  it('a failed clip stops its dependents; other clips finish and stay cached', async () => {
    const ws = await workspace();
    const plan = planOf(CHAIN);
    const r = await ws.run(plan, fakeBackend({ failing: new Set(['b']) }));
    expect(r.failures.map((f) => [f.clip, f.at.line])).toEqual([['b', 5]]);
    expect(r.skipped).toEqual(['c']);
    expect([...r.results.keys()].sort()).toEqual(['a', 'd']);
    const retry = fakeBackend();
    await ws.run(plan, retry);
    expect(retry.submitted.sort()).toEqual(['b', 'c']);
  });

  it('--frozen renders nothing and reports every missing clip', async () => {
    const ws = await workspace();
    const frozen = fakeBackend();
    const r = await ws.run(planOf(CHAIN), frozen, { frozen: true });
    expect(frozen.submitted).toEqual([]);
    expect(r.failures.map((f) => f.reason)).toEqual(['frozen', 'frozen']);
    expect([...r.skipped].sort()).toEqual(['b', 'c']);
  });

  it('--only renders the chosen scenes and the upstream clips they need', async () => {
    const ws = await workspace();
    const backend = fakeBackend();
    await ws.run(planOf(CHAIN), backend, { only: new Set(['b']) });
    expect(backend.submitted.sort()).toEqual(['a', 'b']);
  });

  it('respects the per-model concurrency of the backend', async () => {
    const ws = await workspace();
    const text = 'version: 1\nscenes:\n' + Array.from({ length: 6 }, (_, i) => `  - { id: s${i}, model: wan2.2-t2v-plus, prompt: S${i}., size: "832*480" }`).join('\n') + '\n';
    const backend = fakeBackend({ delayMs: 200, concurrency: 2 });
    const r = await ws.run(planOf(text), backend);
    expect(r.failures).toEqual([]);
    expect(backend.peak()).toBe(2);
  });

  it('a corrupt cache entry is discarded and rendered again', async () => {
    const ws = await workspace();
    const plan = planOf(CHAIN);
    const first = await ws.run(plan, fakeBackend());
    const { writeFile } = await import('node:fs/promises');
    await writeFile(first.results.get('d')?.file ?? '', 'garbage');
    const again = fakeBackend();
    await ws.run(plan, again);
    expect(again.submitted).toEqual(['d']);
  });
});
