// Characters and stills through the compiler: the labels r2v prompts name references by, `cast`, descriptions,
// still ids and models, what editing a still changes, and what stills and reference videos cost.
import { describe, expect, it } from 'vitest';
import type { AssetFacts } from '../src/compiler/check/context.js';
import { planStoryboard } from '../src/compiler/plan-storyboard.js';
import type { ClipJob, Plan } from '../src/compiler/plan/types.js';
import { validateStoryboard } from '../src/compiler/validate-storyboard.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { formatDiagnostics } from '../src/diagnostics/format.js';
import { compileFile } from './helpers/compile.js';

const FILE = 'characters.yaml';

/** Validates (with the given file facts, if any) and compiles; fails the test on any diagnostic. */
function compile(yaml: string, assets?: ReadonlyMap<string, AssetFacts>): Plan {
  const result = validateStoryboard({ path: FILE, text: yaml }, assets ? { assets } : {});
  const report = formatDiagnostics(result.diagnostics, { sources: new Map([[FILE, yaml]]) });
  expect(result.diagnostics, report).toEqual([]);
  if (!result.ok) throw new Error(report);
  return planStoryboard(result.value);
}

/** The diagnostics of a storyboard (files not read). */
function diagnose(yaml: string): Diagnostic[] {
  return [...validateStoryboard({ path: FILE, text: yaml }).diagnostics];
}

/** The source text a diagnostic points at. */
const at = (yaml: string, d: Diagnostic | undefined): string => (d?.span ? yaml.slice(d.span.start, d.span.end) : '');

const job = (plan: Plan, id: string): ClipJob => {
  const j = plan.jobs.find((x) => x.id === id);
  if (!j) throw new Error(`no clip ${id}`);
  return j;
};

/** `input.media` of a wan2.7 request: type and url of each item. */
const media = (j: ClipJob): { type: string; url: string }[] => (j.request.body.input.media ?? []) as { type: string; url: string }[];

// two image characters (one from a still, one a URL), a video character, and one described in words only
const CAST = `version: 1
title: Station
characters:
  mara:
    description: a courier with silver hair
    image: { still: mara-sheet }
  ana:
    description: a girl in a red scarf
    image: "https://example.com/refs/ana.png"
  keeper:
    description: an old keeper in a yellow raincoat
    video: "https://example.com/refs/keeper.mp4"
  cat: a black cat
stills:
  - id: mara-sheet
    prompt: "Character sheet of {{characters.mara.description}}, plain grey background."
`;

const STATION = `scenes:
  - id: station
    model: wan2.7-r2v
    resolution: 720P
    prompt: "At the station {{characters.ana}} waits with {{characters.cat}}."
    shots:
      - duration: 3
        prompt: "{{characters.keeper}} arrives, {{characters.mara}} behind him."
      - duration: 3
        prompt: "{{characters.mara}} and {{characters.ana}} hug."
`;

describe('reference labels in reference-to-video prompts', () => {
  it('follow the first mention, scene prompt first, then the shots; numbered per type', () => {
    const clip = job(compile(CAST + STATION), 'station');
    expect(clip.references?.map((r) => `${r.character} ${r.label} ${r.input}`)).toEqual(['ana Image 1 ref1', 'keeper Video 1 ref2', 'mara Image 2 ref3']);
    expect(media(clip)).toEqual([
      { type: 'reference_image', url: 'https://example.com/refs/ana.png' },
      { type: 'reference_video', url: 'https://example.com/refs/keeper.mp4' },
      { type: 'reference_image', url: '$input.ref3' },
    ]);
    expect(clip.prompt).toContain('At the station Image 1 waits with a black cat.');
    expect(clip.prompt).toContain('Video 1 arrives, Image 2 behind him.');
    expect(clip.prompt).toContain('Image 2 and Image 1 hug.');
    expect(clip.request.body.input.prompt).toBe(clip.prompt);
    expect(clip.inputs).toEqual([expect.objectContaining({ name: 'ref3', kind: 'image', from: { still: 'mara-sheet' } })]);
  });

  it('`cast` sets the order instead of the mentions', () => {
    const yaml = CAST + STATION.replace('    resolution: 720P\n', '    resolution: 720P\n    cast: [mara, keeper, ana]\n');
    const clip = job(compile(yaml), 'station');
    expect(clip.references?.map((r) => `${r.character} ${r.label}`)).toEqual(['mara Image 1', 'keeper Video 1', 'ana Image 2']);
    expect(media(clip).map((m) => m.url)).toEqual(['$input.ref1', 'https://example.com/refs/keeper.mp4', 'https://example.com/refs/ana.png']);
    expect(clip.prompt).toContain('At the station Image 2 waits');
    expect(clip.prompt).toContain('Image 1 and Image 2 hug.');
  });

  it('a character left out of `cast`, or without reference media, is described in words', () => {
    const yaml = CAST + STATION.replace('    resolution: 720P\n', '    resolution: 720P\n    cast: [keeper]\n');
    const clip = job(compile(yaml), 'station');
    expect(clip.references?.map((r) => r.character)).toEqual(['keeper']);
    expect(clip.prompt).toContain('At the station a girl in a red scarf waits with a black cat.');
    expect(clip.prompt).toContain('Video 1 arrives, a courier with silver hair behind him.');
    expect(clip.inputs).toEqual([]);
  });

  it('wan2.6-r2v names references characterN in the order of `reference_urls`', () => {
    const yaml = CAST + `scenes:
  - id: hug
    model: wan2.6-r2v
    prompt: "{{characters.ana}} runs to {{characters.mara}}; {{characters.keeper}} watches."
`;
    const clip = job(compile(yaml), 'hug');
    expect(clip.prompt).toBe('character1 runs to character2; character3 watches.');
    expect(clip.request.body.input.reference_urls).toEqual(['https://example.com/refs/ana.png', '$input.ref2', 'https://example.com/refs/keeper.mp4']);
  });
});

describe('characters in templates', () => {
  const yaml = (CAST + `scenes:
  - id: meet
    model: wan2.7-r2v
    prompt: "{{characters.mara}}, who is {{characters.mara.description}}, meets {{characters.cat}}."
  - id: street
    model: wan2.7-t2v
    prompt: "{{characters.mara}} crosses the street; {{characters.mara.description}} again."
    negative_prompt: "anyone but {{characters.ana}}"
  - id: platform
    model: wan2.7-i2v
    first_frame: { still: platform-view }
    prompt: "{{characters.keeper}} waves."
  - id: all
    model: wan2.7-t2v
    prompt: "Everyone: {{#each characters}}[{{this}}]{{/each}}"
`).replace('stills:\n', `stills:
  - id: platform-view
    prompt: "{{characters.ana}} on the platform; all: {{#each characters}}[{{this}}]{{/each}}"
`);
  const plan = compile(yaml);

  it('`{{characters.X.description}}` is the description everywhere, also where `{{characters.X}}` is a label', () => {
    expect(job(plan, 'meet').prompt).toBe('Image 1, who is a courier with silver hair, meets a black cat.');
    expect(job(plan, 'street').prompt).toBe('a courier with silver hair crosses the street; a courier with silver hair again.');
    expect(plan.stills.find((s) => s.id === 'mara-sheet')?.prompt).toBe('Character sheet of a courier with silver hair, plain grey background.');
  });

  it('`{{characters.X}}` is the description in scenes of other models and in stills', () => {
    expect(job(plan, 'street').request.body.input.negative_prompt).toBe('anyone but a girl in a red scarf');
    expect(job(plan, 'platform').prompt).toBe('an old keeper in a yellow raincoat waves.');
    expect(plan.stills.find((s) => s.id === 'platform-view')?.prompt).toMatch(/^a girl in a red scarf on the platform/);
  });

  it('`{{#each characters}}{{this}}{{/each}}` prints the descriptions', () => {
    const all = '[a courier with silver hair][a girl in a red scarf][an old keeper in a yellow raincoat][a black cat]';
    expect(job(plan, 'all').prompt).toBe(`Everyone: ${all}`);
    expect(plan.stills.find((s) => s.id === 'platform-view')?.prompt).toBe(`a girl in a red scarf on the platform; all: ${all}`);
  });

  it('`{{characters.X.nope}}` is an unknown name, at its place, with `description` offered', () => {
    const bad = CAST + `scenes:
  - id: meet
    model: wan2.7-t2v
    prompt: "{{characters.mara.nope}} waits."
`;
    const ds = diagnose(bad);
    expect(ds.map((d) => d.code)).toEqual(['unknown-template-name']);
    expect(at(bad, ds[0])).toBe('characters.mara.nope');
    expect(ds[0]?.hint).toContain('`description`');
  });
});

describe('stills and models', () => {
  it('a still cannot share its id with a scene', () => {
    const yaml = `version: 1
stills:
  - id: quay
    prompt: A small harbour at dawn.
scenes:
  - id: quay
    model: wan2.7-i2v
    first_frame: { still: quay }
    prompt: The boats rock.
`;
    const ds = diagnose(yaml);
    expect(ds.map((d) => d.code)).toEqual(['duplicate-id']);
    expect(ds[0]?.span?.start).toBe(yaml.indexOf('quay'));
    expect(ds[0]?.related?.[0]?.span.start).toBe(yaml.indexOf('- id: quay', yaml.indexOf('scenes:')) + 6);
  });

  it('an unknown model is matched against models of the kind its name says, and an image model is named as such', () => {
    const typo = `version: 1
characters:
  ana: { description: a girl, image: "https://example.com/ana.png" }
scenes:
  - id: run
    model: wan2.7-r2vv
    prompt: "{{characters.ana}} runs."
`;
    const [d] = diagnose(typo);
    expect(d?.code).toBe('unknown-model');
    expect(d?.hint).toBe('Did you mean `wan2.7-r2v`?');

    const image = `version: 1
scenes:
  - id: run
    model: wan2.6-t2i
    prompt: A girl runs.
`;
    const [e] = diagnose(image);
    expect(e?.code).toBe('unknown-model');
    expect(at(image, e)).toBe('wan2.6-t2i');
    expect(e?.hint).toMatch(/wan2\.6-t2i is an image model: it makes stills/);

    const still = `version: 1
stills:
  - id: dawn
    model: wan2.6-t2ii
    prompt: A harbour at dawn.
scenes:
  - id: quay
    first_frame: { still: dawn }
    prompt: The boats rock.
`;
    const [f] = diagnose(still);
    expect(f?.code).toBe('unknown-model');
    expect(f?.hint).toBe('Did you mean `wan2.6-t2i`?');
  });

  it('editing a still\'s prompt changes its own request only; usedBy names the clips and stills that use it', () => {
    const yaml = `version: 1
title: Harbour
characters:
  mara: { description: a courier, image: { still: mara-sheet } }
stills:
  - id: mara-sheet
    prompt: A courier with silver hair, full body.
  - id: dawn
    prompt: A harbour at dawn.
  - id: dawn-edit
    model: wan2.7-image
    prompt: The harbour of the image, with a red boat.
    images: [{ still: dawn }]
scenes:
  - id: quay
    model: wan2.7-i2v
    first_frame: { still: dawn }
    prompt: The boats rock.
  - id: arrival
    model: wan2.7-r2v
    prompt: "{{characters.mara}} arrives."
  - id: boat
    model: wan2.7-i2v
    first_frame: { still: dawn-edit }
    prompt: The red boat leaves.
`;
    const before = compile(yaml);
    const after = compile(yaml.replace('A harbour at dawn.', 'A harbour at dawn, in fog.'));
    const still = (p: Plan, id: string) => p.stills.find((s) => s.id === id);
    expect(still(after, 'dawn')?.request).not.toEqual(still(before, 'dawn')?.request);
    expect(still(after, 'dawn')?.prompt).toBe('A harbour at dawn, in fog.');
    expect(still(after, 'dawn')?.seed).toEqual(still(before, 'dawn')?.seed);
    for (const id of ['mara-sheet', 'dawn-edit']) expect(still(after, id)).toEqual(still(before, id));
    expect(after.jobs).toEqual(before.jobs);
    expect(still(after, 'dawn')?.usedBy).toEqual(['quay', 'dawn-edit']);
    expect(still(after, 'mara-sheet')?.usedBy).toEqual(['arrival']);
    expect(still(after, 'dawn-edit')?.dependsOn).toEqual(['dawn']);
  });
});

describe('cost', () => {
  const video = (duration: number): AssetFacts => ({ exists: true, bytes: 2_000_000, insideProject: true, video: { format: 'mp4', duration, width: 1280, height: 720 } });
  const yaml = (ref: string) => `version: 1
characters:
  keeper: { description: an old keeper, video: ${ref} }
  mara: { description: a courier, image: { still: mara-sheet } }
stills:
  - id: mara-sheet
    model: wan2.7-image-pro
    prompt: A courier with silver hair, full body.
  - id: dawn
    model: wan2.2-t2i-flash
    prompt: A harbour at dawn.
scenes:
  - id: quay
    model: wan2.7-i2v
    first_frame: { still: dawn }
    resolution: 720P
    duration: 4
    prompt: The boats rock.
  - id: meet
    model: wan2.7-r2v
    resolution: 720P
    duration: 6
    prompt: "{{characters.keeper}} greets {{characters.mara}}."
`;

  it('totals include the stills, and stillsUsd says how much of it they are', () => {
    const plan = compile(yaml('"https://example.com/keeper.mp4"'));
    expect(plan.stills.map((s) => `${s.id} ${s.cost.usd}`)).toEqual(['mara-sheet 0.075', 'dawn 0.025']);
    expect(plan.totals.stills).toBe(2);
    expect(plan.totals.stillsUsd).toBe(0.1);
    const clips = plan.jobs.reduce((s, j) => s + j.cost.usd, 0);
    expect(plan.totals.usd).toBeCloseTo(clips + 0.1, 10);
  });

  it('a reference video\'s seconds are billed with the output, at most 5 s; a URL counts as 5 s', () => {
    const url = job(compile(yaml('"https://example.com/keeper.mp4"')), 'meet');
    expect(url.cost).toMatchObject({ usd: 1.1, inputVideoSeconds: 5, perSecond: 0.1 });
    const short = job(compile(yaml('refs/keeper.mp4'), new Map([['refs/keeper.mp4', video(3)]])), 'meet');
    expect(short.cost).toMatchObject({ usd: 0.9, inputVideoSeconds: 3 });
    const long = job(compile(yaml('refs/keeper.mp4'), new Map([['refs/keeper.mp4', video(20)]])), 'meet');
    expect(long.cost).toMatchObject({ usd: 1.1, inputVideoSeconds: 5 });
    // no reference video: output seconds only
    expect(job(compile(yaml('"https://example.com/keeper.mp4"')), 'quay').cost).toEqual({ usd: 0.4, perSecond: 0.1, resolution: '720P' });
  });
});

describe('storyboards/ferry-courier.yaml', () => {
  it('is a two-character film on stills alone: sheets for both, a still first frame, both in an r2v scene, a chain, under $6', async () => {
    const plan = await compileFile('storyboards/ferry-courier.yaml');
    expect(new Set(plan.jobs.map((j) => j.scene)).size).toBe(4);
    const inputs = [...plan.jobs, ...plan.stills].flatMap((j) => j.inputs);
    expect(inputs.filter((i) => 'file' in i.from || 'url' in i.from)).toEqual([]);
    const both = plan.jobs.filter((j) => j.model === 'wan2.7-r2v' && new Set(j.references?.map((r) => r.character)).size === 2);
    expect(both.length).toBeGreaterThanOrEqual(1);
    expect(both.flatMap((j) => j.inputs.filter((i) => i.name.startsWith('ref')).map((i) => i.from))).toContainEqual({ still: 'keeper-sheet' });
    expect(both.flatMap((j) => j.inputs.filter((i) => i.name.startsWith('ref')).map((i) => i.from))).toContainEqual({ still: 'mara-sheet' });
    expect(plan.jobs.some((j) => j.inputs.some((i) => i.name === 'first_frame' && 'still' in i.from))).toBe(true);
    const byId = new Map(plan.jobs.map((j) => [j.id, j]));
    const chain = (id: string): number => 1 + Math.max(0, ...(byId.get(id)?.dependsOn ?? []).map(chain));
    expect(Math.max(...plan.jobs.map((j) => chain(j.id)))).toBeGreaterThanOrEqual(3);
    expect(plan.stills.every((s) => s.usedBy.length > 0)).toBe(true);
    expect(plan.totals.usd).toBeLessThan(6);
  });
});
