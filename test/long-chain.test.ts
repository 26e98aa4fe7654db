// A continuity chain far longer than the call stack (issue 13, point 11): every walk of the clip graph is
// iterative. The graph functions run on a 100,000-clip chain directly; the whole CLI (YAML → plan, render) on a
// 3,000-clip chain (the old recursion overflowed at about 2,500), since parsing 100,000 scenes of YAML takes
// longer than this suite can spend.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateChain } from '../bench/generate-storyboard.js';
import type { CheckContext } from '../src/compiler/check/context.js';
import { continuityCycles } from '../src/compiler/check/continuity-cycles.js';
import { diffPlans } from '../src/compiler/plan/diff-plans.js';
import { planDot, planMermaid } from '../src/compiler/plan/plan-graph.js';
import type { ClipJob, Plan } from '../src/compiler/plan/types.js';
import { upstreamFirst } from '../src/compiler/plan/upstream-first.js';
import type { Scene, Storyboard } from '../src/compiler/storyboard.js';
import { estimateWallSeconds } from '../src/runner/budget.js';
import { ClipCache } from '../src/runner/clip-cache.js';
import { clipStates, selectJobs } from '../src/runner/clip-states.js';
import type { LockedClip } from '../src/runner/lock-file.js';
import { bottomLevels } from '../src/runner/priority-slots.js';
import { decideClips } from '../src/runner/render-reasons.js';
import type { FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import type { PlanReport } from '../src/render/plan-render.js';
import { planOf } from './helpers/run-fixture.js';
import { runCli } from './helpers/run-cli.js';

const N = 100_000;
const SECONDS = 5;

/**
 * A plan of `n` clips, each starting on the last frame of the one before (`c0` → `c1` → …), made from the jobs of
 * a compiled two-scene chain. `reverse` lists the film against the chain: the film's first clip is the chain's last.
 */
function chainPlan(n: number, reverse = false): Plan {
  const small = planOf(`version: 1
scenes:
  - { id: c0, model: wan2.7-t2v, duration: ${SECONDS}, prompt: part 0 }
  - { id: c1, continues: c0, duration: ${SECONDS}, prompt: part 1 }
`);
  const [head, link] = small.jobs as [ClipJob, ClipJob];
  const jobs: ClipJob[] = [];
  for (let k = 0; k < n; k++) {
    const from = `c${k - 1}`;
    jobs.push(k === 0 ? head : {
      ...link, id: `c${k}`, scene: `c${k}`, prompt: `part ${k}`, dependsOn: [from],
      inputs: link.inputs.map((i) => ('clip' in i.from ? { ...i, from: { ...i.from, clip: from } } : i)),
    });
  }
  if (reverse) jobs.reverse();
  return { ...small, jobs, stitch: { ...small.stitch, order: jobs.map((j) => j.id) }, totals: { clips: n, seconds: n * SECONDS, usd: 0, stills: 0, stillsUsd: 0 } };
}

describe(`the clip graph of a ${N.toLocaleString('en')}-clip continuity chain`, () => {
  // listed against film order: the worst case for walks up the chain; `links` also along it, the worst case down
  const reversed = chainPlan(N, true);
  const links = Array.from({ length: N }, (_, k) => ({ id: `c${k}`, dependsOn: k === 0 ? [] : [`c${k - 1}`], seconds: SECONDS }));

  it('orders clips upstream first and gives each its bottom level (the chain behind it), the chain along or against film order', () => {
    for (const jobs of [links, [...links].reverse()]) {
      const order = upstreamFirst(jobs, (j) => j.id, (j) => j.dependsOn).map((j) => j.id);
      expect([order.length, order[0], order[N - 1]]).toEqual([N, 'c0', `c${N - 1}`]);
      const levels = bottomLevels(jobs);
      expect([levels.get('c0'), levels.get('c1000'), levels.get(`c${N - 1}`)]).toEqual([N * SECONDS, (N - 1000) * SECONDS, SECONDS]);
    }
  });

  it('selects every upstream clip of the last scene (--only), and simulates the schedule one clip after another', () => {
    expect(selectJobs(reversed, new Set([`c${N - 1}`])).length).toBe(N);
    const timing = { latency: () => 2, concurrency: () => 5, rps: () => 2, overall: 10, assumption: '' };
    expect(estimateWallSeconds(reversed, reversed.jobs.map((j) => j.id), timing)).toBe(2 * N);
  });

  it('works out clip states and render decisions down the chain (the lock names every clip)', async () => {
    const cache = new ClipCache(mkdtempSync(join(tmpdir(), 'sb-chain-')), {} as FfmpegTools);
    const states = await clipStates(reversed, { backend: { name: 'preview', version: '1' }, baseDir: '.', cache });
    expect(states.size).toBe(N);
    expect(states.get('c0')?.key).toMatch(/^[0-9a-f]{32}$/);
    expect(states.get('c1')).toEqual({ cached: false });
    const locked = (id: string): LockedClip => ({ key: `k-${id}`, model: 'wan2.7-i2v', seed: 0, prompt: '', sha256: '', duration: SECONDS, backend: 'preview' });
    const lock = Object.fromEntries(reversed.jobs.map((j) => [j.id, locked(j.id)]));
    const decisions = decideClips(reversed.jobs, states, lock, 'preview');
    expect(decisions.size).toBe(N);
    const last = decisions.get(`c${N - 1}`);
    expect(last?.action === 'render' && last.reasons).toContain('upstream clip changed');
  });

  it('finds every clip downstream of a changed first clip, and draws the graph', () => {
    const edited = chainPlan(N, true);
    const first = edited.jobs.findIndex((j) => j.id === 'c0');
    const jobs = [...edited.jobs];
    const job = jobs[first] as ClipJob;
    jobs[first] = { ...job, request: { ...job.request, body: { ...job.request.body, input: { ...job.request.body.input, prompt: 'changed' } } } };
    const diff = diffPlans(reversed, { ...edited, jobs });
    expect(diff.changed.map((c) => c.clip)).toEqual(['c0']);
    expect(diff.affected.length).toBe(N - 1);
    expect(diff.affected[0]).toEqual({ clip: `c${N - 1}`, upstream: [`c${N - 2}`] });
    expect(planMermaid(reversed).split('\n').filter((l) => l.includes('-- last frame -->')).length).toBe(N - 1);
    expect(planDot(reversed).split('\n').filter((l) => l.includes('[label="last frame"]')).length).toBe(N - 1);
  });

  it('checks for continuity cycles along the chain, and reports a cycle through all of it', () => {
    const scene = (k: number, continues?: number): Scene => ({ id: `c${k}`, ...(continues === undefined ? {} : { continues: { id: `c${continues}`, span: { file: 'f', start: k, end: k + 1 } } }) }) as Scene;
    const context = (scenes: Scene[]): CheckContext => ({ storyboard: { scenes } as unknown as Storyboard, scenes: [] });
    const chain = Array.from({ length: N }, (_, k) => scene(k, k === 0 ? undefined : k - 1)).reverse();
    expect(continuityCycles(context(chain))).toEqual([]);
    const cycle = Array.from({ length: N }, (_, k) => scene(k, (k + N - 1) % N));
    const found = continuityCycles(context(cycle));
    expect(found.map((d) => d.code)).toEqual(['continuity-cycle']);
    expect(found[0]?.related?.length).toBe(N - 1);
  });
});

describe('the CLI on a 3,000-clip chain (the old recursion overflowed the stack at about 2,500)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-chain-cli-'));
  const file = join(dir, 'chain.yaml');
  writeFileSync(file, generateChain(3000));

  it('`storyboard plan` reports every clip to render, with a wall time of the whole chain', async () => {
    const r = await runCli(['plan', '--json', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PlanReport;
    expect(report.clips.length).toBe(3000);
    expect(report.render.clips).toBe(3000);
    expect(report.clips.filter((c) => c.key !== undefined).map((c) => c.clip)).toEqual(['c0']);
  });

  it('`storyboard render --frozen` fails on the chain\'s first clip and skips the rest, without an internal error', async () => {
    const r = await runCli(['render', '--frozen', '--json', '--cache-dir', join(dir, 'cache'), file]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('internal error');
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; clip?: string });
    expect(events.filter((e) => e.type === 'failed').map((e) => e.clip)).toEqual(['c0']);
    expect(events.filter((e) => e.type === 'skipped').length).toBe(2999);
  });
});
