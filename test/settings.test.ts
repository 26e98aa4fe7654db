import { describe, expect, it } from 'vitest';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';

const compile = (text: string) => validateStoryboard({ path: 'x.yaml', text });

describe('defaults and per-scene settings', () => {
  const base = 'version: 1\ndefaults:\n  model: wan2.7-t2v\n  ratio: "9:16"\n  resolution: 720P\nscenes:\n  - id: a\n    prompt: A.\n    duration: 5\n';

  it('a default the scene\'s model does not take is ignored silently', () => {
    const r = compile(base + '  - id: b\n    model: wan2.7-i2v\n    continues: a\n    duration: 5\n    prompt: B.\n');
    expect(r.diagnostics).toEqual([]);
    if (!r.ok) return;
    const plan = planStoryboard(r.value);
    expect(plan.jobs[0]?.request.body.parameters).toMatchObject({ ratio: '9:16', resolution: '720P' });
    expect(plan.jobs[1]?.request.body.parameters).not.toHaveProperty('ratio');
  });

  it('the same key set on the scene is a warning at that key', () => {
    const text = base + '  - id: b\n    model: wan2.7-i2v\n    continues: a\n    ratio: "1:1"\n    duration: 5\n    prompt: B.\n';
    const r = compile(text);
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.severity, text.slice(d.span?.start, d.span?.end)])).toEqual([['setting-ignored', 'warning', 'ratio']]);
  });

  it('errors in a default point at `defaults`, once per default', () => {
    const text = 'version: 1\ndefaults:\n  model: wan2.7-t2x\nscenes:\n  - { id: a, prompt: A. }\n  - { id: b, prompt: B. }\n';
    const r = compile(text);
    expect(r.diagnostics.map((d) => [d.code, text.slice(d.span?.start, d.span?.end)])).toEqual([['unknown-model', 'wan2.7-t2x']]);
  });

  it('the seed of a clip depends only on the title and the clip id', () => {
    const one = compile('version: 1\ntitle: T\nscenes:\n  - { id: a, prompt: A., duration: 5 }\n  - { id: b, prompt: B., duration: 5 }\n');
    const two = compile('version: 1\ntitle: T\nscenes:\n  - { id: a, prompt: Changed., duration: 9 }\n  - { id: b, prompt: B., duration: 5 }\n');
    if (!one.ok || !two.ok) throw new Error('invalid');
    const [p1, p2] = [planStoryboard(one.value), planStoryboard(two.value)];
    expect(p1.jobs[1]?.seed).toEqual(p2.jobs[1]?.seed);
    expect(p1.jobs[0]?.seed.value).toBe(p2.jobs[0]?.seed.value);
    expect(p1.jobs[0]?.seed.value).not.toBe(p1.jobs[1]?.seed.value);
  });
});

describe('size and resolution/ratio across levels', () => {
  it('a scene\'s size replaces an inherited resolution, and a scene\'s resolution replaces an inherited size', () => {
    const r = compile('version: 1\ndefaults: { model: wan2.6-t2v, resolution: 1080P }\nscenes:\n  - { id: a, prompt: A., size: "1280*720" }\n');
    expect(r.diagnostics).toEqual([]);
    const s = compile('version: 1\ndefaults: { model: wan2.6-t2v, size: "1280*720" }\nscenes:\n  - { id: a, prompt: A., resolution: 1080P, ratio: "9:16" }\n');
    if (!r.ok || !s.ok) throw new Error('invalid');
    expect(planStoryboard(r.value).jobs[0]?.request.body.parameters).toMatchObject({ size: '1280*720' });
    expect(planStoryboard(s.value).jobs[0]?.request.body.parameters).toMatchObject({ size: '1080*1920' });
  });

  it('both written on one scene and disagreeing is still an error', () => {
    const r = compile('version: 1\nscenes:\n  - { id: a, model: wan2.6-t2v, prompt: A., size: "1280*720", resolution: 1080P }\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['size-conflict']);
  });
});
