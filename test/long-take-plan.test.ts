// What a user writes for long takes and continuity chains, compiled: a 40 s take in parts becomes clips that continue
// each other by clip (wan2.7-i2v `first_clip`) with a prompt each and a film of exactly 40 s; chain settings hold down
// the chain; re-anchoring sends the anchor as a `last_frame`; `plan` prices the new seconds and says what the carried
// ones would add.
import { describe, expect, it } from 'vitest';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';
import type { Plan } from '../src/compiler/plan/types.js';
import { planText } from '../src/cli/commands/plan.js';
import type { PlanReport } from '../src/render/plan-render.js';
import { costOf } from '../src/runner/budget.js';
import { planDot, planMermaid } from '../src/compiler/plan/plan-graph.js';

function compile(yaml: string): Plan {
  const r = validateStoryboard({ path: 'take.yaml', text: yaml });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return planStoryboard(r.value);
}

const TAKE = `version: 1
defaults: { resolution: 720P }
scenes:
  - id: pier
    duration: 40
    prompt: One continuous take along the old pier at dusk.
    parts:
      - A woman in a red coat walks toward the lighthouse.
      - { prompt: She stops at the railing and looks out to sea., duration: 12 }
      - She turns and walks back toward the camera.
`;

describe('a 40 s take as one scene', () => {
  const plan = compile(TAKE);

  it('compiles to clips that continue each other by clip, a prompt per part', () => {
    expect(plan.jobs.map((j) => j.id)).toEqual(['pier', 'pier.part2', 'pier.part3']);
    expect(plan.jobs.map((j) => j.request.body.parameters.duration)).toEqual([14, 12, 14]);
    expect(plan.jobs.map((j) => j.prompt)).toEqual([
      'One continuous take along the old pier at dusk. A woman in a red coat walks toward the lighthouse.',
      'One continuous take along the old pier at dusk. She stops at the railing and looks out to sea.',
      'One continuous take along the old pier at dusk. She turns and walks back toward the camera.',
    ]);
    const [first, second, third] = plan.jobs;
    expect(first?.request.body.input.media).toBeUndefined();
    for (const [job, from] of [[second, 'pier'], [third, 'pier.part2']] as const) {
      expect(job?.model).toBe('wan2.7-i2v');
      expect(job?.request.body.input.media).toEqual([{ type: 'first_clip', url: '$input.first_clip' }]);
      expect(job?.inputs).toEqual([expect.objectContaining({ name: 'first_clip', kind: 'video', from: { clip: from, tail: 2 } })]);
      expect(job?.dependsOn).toEqual([from]);
      // the video is the 2 carried seconds and the new ones; only the new ones are priced
      expect(job?.expected.duration).toBe(Number(job?.request.body.parameters.duration) + 2);
      expect(job?.carry).toEqual({ from, seconds: 2, frames: 60 });
      expect(job?.cost.usd).toBeCloseTo(Number(job?.request.body.parameters.duration) * 0.1, 6);
    }
  });

  it('makes a film of exactly 40 s: the carried frames are dropped, nothing else', () => {
    expect(plan.stitch.duration).toBe(40);
    expect(plan.totals.seconds).toBe(40);
    expect(plan.stitch.joins.map((j) => j.type)).toEqual(['seam', 'seam']);
    // each part starts where the previous one's new footage ends: its frame 0 is 2 s (the carry) earlier
    expect(plan.stitch.starts).toEqual([0, 12, 24]);
    expect(plan.stitch.chapters).toEqual([{ scene: 'pier', title: 'pier', start: 0, end: 40 }]);
  });

  it('warns that `carry` is ignored where the clips of a split can only continue by frame (wan2.6)', () => {
    const r = validateStoryboard({ path: 'take.yaml', text: TAKE.replace('duration: 40', 'duration: 40\n    model: wan2.6-t2v\n    carry: 3') });
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([['setting-ignored', 'warning', '`carry` is ignored in scene `pier`: its clips continue each other by frame, as wan2.6-i2v cannot continue a clip']]);
    expect(validateStoryboard({ path: 'take.yaml', text: TAKE.replace('duration: 40', 'duration: 40\n    carry: 3') }).diagnostics).toEqual([]);
  });

  it('continues by frame instead with `continuation: frame`, and carries what `carry` says', () => {
    const frame = compile(TAKE.replace('duration: 40', 'duration: 40\n    continuation: frame'));
    expect(frame.jobs[1]?.request.body.input.media).toEqual([{ type: 'first_frame', url: '$input.first_frame' }]);
    expect(frame.jobs[1]?.carry).toBeUndefined();
    expect(frame.stitch.duration).toBeCloseTo(40 - 2 / 30, 6);
    const three = compile(TAKE.replace('duration: 40', 'duration: 40\n    carry: 3'));
    expect(three.jobs[2]?.carry).toEqual({ from: 'pier.part2', seconds: 3, frames: 90 });
    expect(three.stitch.duration).toBe(40);
  });

  it('graph labels a clip continuation by the seconds it carries', () => {
    expect(planMermaid(plan)).toContain('c_pier -- last 2 s --> c_pier_part2');
    expect(planMermaid(plan)).toContain('pier.part2<br/>wan2.7-i2v · 12 s + 2 carried');
    expect(planDot(plan)).toContain('"pier.part2" -> "pier.part3" [label="last 2 s"];');
  });

  it('plan prices the new seconds and says what the carried ones would add', () => {
    const ids = plan.jobs.map((j) => j.id);
    const cost = costOf(plan, ids);
    expect(cost).toMatchObject({ clips: 3, seconds: 40, usd: 4, carried: { seconds: 4, usd: 0.4 } });
    const report: PlanReport = {
      storyboard: 'take.yaml', backend: 'dashscope', lock: null, stills: [],
      clips: plan.jobs.map((j) => ({ clip: j.id, action: 'render', reasons: ['new clip'], model: j.model, resolution: '720P', seconds: Number(j.request.body.parameters.duration), ...(j.carry ? { carried: j.carry.seconds } : {}), usd: j.cost.usd })),
      render: { ...cost, byModel: [] }, reuse: { clips: 0, seconds: 0, stills: 0, stillsUsd: 0, usd: 0 },
      wallTime: { seconds: 60, assumption: 'test' }, budget: null,
    };
    const text = planText(report);
    expect(text).toMatch(/pier\.part2 +wan2\.7-i2v +720P +12 s \+ 2 carried +\$1\.20/);
    expect(text).toContain('4 carried seconds not priced');
    expect(text).toContain('add $0.40');
  });
});

const CHAIN = `version: 1
defaults: { resolution: 720P }
stills:
  - { id: look, prompt: The harbour at dawn in soft gold light. }
scenes:
  - id: a
    prompt: A boat leaves the harbour.
    duration: 5
    anchor: { still: look }
    colour_match: true
    reanchor: 2
  - { id: b, continues: { scene: a, carry: 3 }, prompt: It sails on., duration: 5 }
  - { id: c, continues: b, prompt: It turns., duration: 5 }
  - { id: d, continues: c, prompt: It comes back., duration: 5, colour_match: false, last_frame: end.png }
  - { id: e, prompt: 'Elsewhere, a gull.', duration: 5 }
`;

describe('a continuity chain', () => {
  const plan = compile(CHAIN);
  const job = (id: string) => plan.jobs.find((j) => j.id === id);

  it('numbers hops from its first clip and holds the first scene\'s settings down the chain', () => {
    expect(plan.jobs.map((j) => [j.id, j.chain?.root, j.chain?.hop])).toEqual([['a', 'a', 0], ['b', 'a', 1], ['c', 'a', 2], ['d', 'a', 3], ['e', undefined, undefined]]);
    for (const id of ['a', 'b', 'c', 'd']) expect(job(id)?.chain?.anchor).toEqual({ still: 'look' });
    expect(['a', 'b', 'c', 'd'].map((id) => job(id)?.chain?.colourMatch)).toEqual([true, true, true, false]);
    // every clip that is colour matched against the still waits for it
    expect(job('c')?.stills).toEqual(['look']);
  });

  it('re-anchors every 2nd hop: the anchor still is sent as the last frame, unless the scene ends on its own', () => {
    expect(job('c')?.chain?.reanchored).toBe(true);
    expect(job('c')?.request.body.input.media).toEqual([{ type: 'first_frame', url: '$input.first_frame' }, { type: 'last_frame', url: '$input.last_frame' }]);
    expect(job('c')?.inputs.find((i) => i.name === 'last_frame')?.from).toEqual({ still: 'look' });
    expect(job('b')?.chain?.reanchored).toBeUndefined();
    expect(job('b')?.request.body.input.media).toEqual([{ type: 'first_clip', url: '$input.first_clip' }]);
  });

  it('drops the carried seconds from the film wherever the continued clip stands', () => {
    expect(plan.stitch.starts).toEqual([0, 2, 10 - 1 / 30, 15 - 2 / 30, 20 - 2 / 30].map((s) => Math.round(s * 1e6) / 1e6));
    expect(plan.stitch.duration).toBeCloseTo(25 - 2 / 30, 6);
  });
});
