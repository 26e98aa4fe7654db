// Characters and stills: subtitles keep descriptions in r2v scenes, a reference file's problem is reported once,
// and a video model given to a still is named as one.
import { describe, expect, it } from 'vitest';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';

const FILE = 'x.yaml';
describe('characters and stills checks', () => {
  it('a video model as a still\'s model says stills take image models', () => {
    const yaml = 'version: 1\nstills:\n  - id: dawn\n    model: wan2.7-i2v\n    prompt: A harbour.\nscenes:\n  - id: quay\n    first_frame: { still: dawn }\n    prompt: Boats.\n';
    const [d] = validateStoryboard({ path: FILE, text: yaml }).diagnostics;
    expect(d?.code).toBe('unknown-model');
    expect(d?.hint).toMatch(/is a video model; stills take image models/);
  });

  it('a character\'s reference file problem is reported once, not once per scene', () => {
    const yaml = 'version: 1\ncharacters:\n  mara: { description: a courier, image: refs/mara.png }\nscenes:\n  - id: a\n    model: wan2.7-r2v\n    prompt: "{{characters.mara}} runs"\n  - id: b\n    model: wan2.7-r2v\n    prompt: "{{characters.mara}} stops"\n';
    const assets = new Map([['refs/mara.png', { exists: true, bytes: 1000, insideProject: true, image: { format: 'png', width: 100, height: 100, hasAlpha: false } }]]);
    const ds = validateStoryboard({ path: FILE, text: yaml }, { assets }).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(['image-dimensions-out-of-range']);
  });

  it('subtitles never show reference labels; a character named only in a dialogue is not sent', () => {
    const yaml = 'version: 1\ncharacters:\n  mara: { description: a courier, image: "https://x.test/mara.png" }\n  keeper: { description: an old keeper, image: "https://x.test/keeper.png" }\nscenes:\n  - id: a\n    model: wan2.7-r2v\n    shots:\n      - duration: 3\n        prompt: "{{characters.keeper}} waves"\n        dialogue: "{{characters.mara}}, over here!"\n        caption: "{{characters.keeper}} at Gull Rock"\n';
    const r = validateStoryboard({ path: FILE, text: yaml });
    if (!r.ok) throw new Error('invalid');
    const plan = planStoryboard(r.value);
    expect(plan.stitch.cues.map((c) => c.text)).toEqual(['an old keeper at Gull Rock', 'a courier, over here!']);
    expect(plan.jobs[0]?.references?.map((ref) => ref.character)).toEqual(['keeper']);
  });
});

describe('storyboard diff with stills', () => {
  it('shows an edited still and every clip and still that uses it, directly or down a chain', async () => {
    const { readFileSync } = await import('node:fs');
    const { diffPlans } = await import('../src/compiler/plan/diff-plans.js');
    const text = readFileSync('storyboards/ferry-courier.yaml', 'utf8');
    const plan = (t: string): ReturnType<typeof planStoryboard> => {
      const r = validateStoryboard({ path: 'storyboards/ferry-courier.yaml', text: t });
      if (!r.ok) throw new Error('invalid');
      return planStoryboard(r.value);
    };
    const edited = text.replace('{{characters.mara.description}}, standing,', '{{characters.mara.description}}, standing, arms crossed,');
    expect(edited).not.toBe(text);
    const d = diffPlans(plan(text), plan(edited));
    expect(d.changed.map((c) => [c.clip, c.kind])).toEqual([['mara-sheet', 'still']]);
    expect(d.affected.map((a) => [a.clip, a.upstream, a.stills ?? []])).toEqual([
      ['arrival', [], ['mara-sheet']], ['climb', ['arrival'], ['mara-sheet']], ['lamp', ['climb'], []],
    ]);
    // a removed still is listed as one; the plans are not identical
    const withoutHarbour = plan(text.replace(/ {2}- id: harbour-dusk[\s\S]*?negative_prompt: text, watermark\n/, '').replace('model: wan2.7-i2v\n    first_frame: { still: harbour-dusk }\n', 'model: wan2.7-t2v\n'));
    expect(diffPlans(plan(text), withoutHarbour).removed.filter((r) => r.kind === 'still').map((r) => r.clip)).toEqual(['harbour-dusk']);
  });
});

describe('frames on reference-to-video models', () => {
  it('wan2.6-r2v takes no first frame: a scene continuing another is refused with a hint to wan2.7-r2v', () => {
    const yaml = 'version: 1\ncharacters:\n  mara: { description: a courier, image: "https://x.test/m.png" }\nscenes:\n  - id: a\n    prompt: A street.\n  - id: b\n    model: wan2.6-r2v\n    continues: a\n    prompt: "{{characters.mara}} walks."\n';
    const [d] = validateStoryboard({ path: FILE, text: yaml }).diagnostics;
    expect(d?.code).toBe('media-unsupported');
    expect(d?.message).toBe('wan2.6-r2v takes references but no first frame, so scene `b` cannot start from one (`continues`)');
    expect(d?.hint).toMatch(/wan2\.7-r2v`, which takes a first frame with the references/);
    // on wan2.7-r2v the same scene is valid: the first frame goes after the references
    const ok = validateStoryboard({ path: FILE, text: yaml.replace('wan2.6-r2v', 'wan2.7-r2v') });
    if (!ok.ok) throw new Error('invalid');
    const media = planStoryboard(ok.value).jobs.find((j) => j.id === 'b')?.request.body.input.media;
    expect(media).toEqual([{ type: 'reference_image', url: 'https://x.test/m.png' }, { type: 'first_frame', url: '$input.first_frame' }]);
  });
});

describe('wall time with stills', () => {
  it('stills are scheduled before the clips that use them: the DashScope estimate grows by one still latency on the critical path', async () => {
    const { readFileSync } = await import('node:fs');
    const { estimateWallSeconds } = await import('../src/runner/budget.js');
    const { DASHSCOPE_TIMING } = await import('../src/backends/dashscope/dashscope-backend.js');
    const r = validateStoryboard({ path: 'storyboards/ferry-courier.yaml', text: readFileSync('storyboards/ferry-courier.yaml', 'utf8') });
    if (!r.ok) throw new Error('invalid');
    const plan = planStoryboard(r.value);
    const clips = plan.jobs.map((j) => j.id);
    const stills = plan.stills.map((s) => s.id);
    const withStills = estimateWallSeconds(plan, [...stills, ...clips], DASHSCOPE_TIMING);
    const without = estimateWallSeconds(plan, clips, DASHSCOPE_TIMING);
    // the three stills run at once (5 at a time per model), then the chain arrival → climb → lamp
    expect(withStills - without).toBeCloseTo(30, 6);
  });
});
