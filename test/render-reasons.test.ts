import { describe, expect, it } from 'vitest';
import type { LockedClip } from '../src/runner/lock-file.js';
import { decideClips, type ClipState, type ReasonJob } from '../src/runner/render-reasons.js';

const job = (id: string, o: Partial<{ model: string; prompt: string; seed: number; dependsOn: string[] }> = {}): ReasonJob => ({
  id, model: o.model ?? 'wan2.2-i2v-flash', prompt: o.prompt ?? `Prompt ${id}.`, seed: { value: o.seed ?? 1 }, dependsOn: o.dependsOn ?? [],
});
const locked = (j: ReasonJob, key: string, o: Partial<LockedClip> = {}): LockedClip => ({
  key, model: j.model, seed: j.seed.value, prompt: j.prompt, sha256: `sha-${key}`, duration: 5, backend: 'preview', ...o,
});

/** A chain a → b → c and an independent d, all rendered once with keys ka…kd. */
const CHAIN = [job('a'), job('b', { dependsOn: ['a'] }), job('c', { dependsOn: ['b'] }), job('d')];
const LOCK = Object.fromEntries(CHAIN.map((j) => [j.id, locked(j, `k${j.id}`)]));
const allCached = (): Map<string, ClipState> => new Map(CHAIN.map((j) => [j.id, { key: `k${j.id}`, cached: true }]));

const summary = (jobs: readonly ReasonJob[], states: Map<string, ClipState>, lock = LOCK, backend = 'preview'): Record<string, string> =>
  Object.fromEntries([...decideClips(jobs, states, lock, backend)].map(([id, d]) => [id, d.action === 'reuse' ? `reuse:${d.from}` : d.reasons.join(', ')]));

describe('decideClips', () => {
  it('reuses every clip of an unchanged plan, as locked', () => {
    expect(summary(CHAIN, allCached())).toEqual({ a: 'reuse:lock', b: 'reuse:lock', c: 'reuse:lock', d: 'reuse:lock' });
  });

  it('renders every clip as new without a lock', () => {
    const states = new Map<string, ClipState>([['a', { key: 'ka', cached: false }], ['b', { cached: false }], ['c', { cached: false }], ['d', { key: 'kd', cached: false }]]);
    expect(summary(CHAIN, states, {})).toEqual({ a: 'new clip', b: 'new clip', c: 'new clip', d: 'new clip' });
    expect(summary(CHAIN, allCached(), {})).toEqual({ a: 'reuse:cache', b: 'reuse:cache', c: 'reuse:cache', d: 'reuse:cache' });
  });

  it('a clip id the lock does not know is a new clip', () => {
    const jobs = [...CHAIN, job('e')];
    const states = allCached().set('e', { key: 'ke', cached: false });
    expect(summary(jobs, states).e).toBe('new clip');
  });

  it('a changed prompt at the head of a chain cascades down as upstream clip changed', () => {
    const jobs = CHAIN.map((j) => (j.id === 'a' ? { ...j, prompt: 'A new prompt.' } : j));
    const states = allCached().set('a', { key: 'ka2', cached: false }).set('b', { cached: false }).set('c', { cached: false });
    const d = decideClips(jobs, states, LOCK, 'preview');
    expect(summary(jobs, states)).toEqual({ a: 'prompt changed', b: 'upstream clip changed', c: 'upstream clip changed', d: 'reuse:lock' });
    expect(d.get('a')).toMatchObject({ action: 'render', key: 'ka2' });
    expect(d.get('b')).not.toHaveProperty('key');
  });

  it('a changed seed in the middle re-renders it and what follows, not what precedes', () => {
    const jobs = CHAIN.map((j) => (j.id === 'b' ? { ...j, seed: { value: 2 } } : j));
    const states = allCached().set('b', { key: 'kb2', cached: false }).set('c', { cached: false });
    expect(summary(jobs, states)).toEqual({ a: 'reuse:lock', b: 'seed changed', c: 'upstream clip changed', d: 'reuse:lock' });
  });

  it('names every reason that applies, and model changes', () => {
    const jobs = CHAIN.map((j) => (j.id === 'b' ? { ...j, model: 'wan2.2-i2v-plus', prompt: 'Other.', seed: { value: 9 } } : j));
    const states = allCached().set('b', { key: 'kb2', cached: false }).set('c', { cached: false });
    expect(summary(jobs, states).b).toBe('model changed, prompt changed, seed changed');
  });

  it('an upstream clip reused from the cache but not the locked one still changes its dependents', () => {
    // a was edited back to an earlier version that is still cached: c starts on a different frame than the lock's
    const states = allCached().set('a', { key: 'ka-old', cached: true }).set('b', { key: 'kb-old', cached: false }).set('c', { cached: false });
    expect(summary(CHAIN, states)).toEqual({ a: 'reuse:cache', b: 'upstream clip changed', c: 'upstream clip changed', d: 'reuse:lock' });
  });

  it('tells a vanished cached clip (same key as the lock) from changed settings (other key)', () => {
    const states = allCached().set('d', { key: 'kd', cached: false }).set('a', { key: 'ka-size', cached: false })
      .set('b', { cached: false }).set('c', { cached: false });
    expect(summary(CHAIN, states)).toEqual({ a: 'settings changed', b: 'upstream clip changed', c: 'upstream clip changed', d: 'not in cache' });
  });

  it('a vanished upstream clip re-renders its dependents even with the same key', () => {
    const states = allCached().set('a', { key: 'ka', cached: false }).set('b', { cached: false }).set('c', { cached: false });
    expect(summary(CHAIN, states)).toEqual({ a: 'not in cache', b: 'upstream clip changed', c: 'upstream clip changed', d: 'reuse:lock' });
  });

  it('a lock made by another backend', () => {
    const states = new Map<string, ClipState>([['a', { key: 'xa', cached: false }], ['b', { cached: false }], ['c', { cached: false }], ['d', { key: 'xd', cached: false }]]);
    expect(summary(CHAIN, states, LOCK, 'dashscope')).toEqual({ a: 'backend changed', b: 'upstream clip changed, backend changed', c: 'upstream clip changed, backend changed', d: 'backend changed' });
  });

  it('decides a chain that runs against job order (a scene continuing a later one)', () => {
    const jobs = [job('late', { dependsOn: ['early'] }), job('early', { prompt: 'Changed.' })];
    const lock = { late: locked(job('late'), 'kl'), early: locked(job('early'), 'ke') };
    const states = new Map<string, ClipState>([['late', { cached: false }], ['early', { key: 'ke2', cached: false }]]);
    expect(summary(jobs, states, lock)).toEqual({ late: 'upstream clip changed', early: 'prompt changed' });
  });
});
