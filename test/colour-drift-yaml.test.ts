// Colour matching end to end from YAML: a 4-scene wan2.7-i2v chain (3 hops) with `colour_match: true` in defaults,
// rendered by the CLI on the preview backend with simulated drift (STORYBOARD_PREVIEW_DRIFT). The film verifies frame
// by frame, `render --json`'s summary carries the chain's drift (matched clips far closer to the anchor than as made),
// and the report draws the chain's chart. Turning colour_match off re-assembles without rendering a clip again.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_DRIFT_ENV } from '../src/backends/preview/preview-drift.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import { runFfmpeg } from '../src/media/ffmpeg.js';
import { runCli } from './helpers/run-cli.js';

const HOPS = 3;

function storyboard(colourMatch: boolean): string {
  const scenes = Array.from({ length: HOPS + 1 }, (_, k) => (k === 0
    ? '  - { id: s0, first_frame: keyframe.png, duration: 2, prompt: "a long take along a mossy wall." }'
    : `  - { id: s${k}, continues: s${k - 1}, duration: 2, prompt: "the take goes on, part ${k + 1}." }`));
  return ['version: 1', 'title: Colour match', `defaults: { model: wan2.7-i2v, resolution: 720P, colour_match: ${colourMatch} }`, 'scenes:', ...scenes].join('\n') + '\n';
}

interface Summary {
  rendered: number;
  cached: number;
  verified: { ok: boolean } | null;
  drift?: { measure: string; chains: { root: string; anchor: unknown; colourMatch: boolean; clips: { id: string; hop: number; colourMatched: boolean; colourError: number; colourErrorMatched?: number; seamSsim: number | null }[] }[] };
}

let dir: string;

async function render(colourMatch: boolean): Promise<Summary> {
  const file = join(dir, 'film.yaml');
  await writeFile(file, storyboard(colourMatch));
  process.env[PREVIEW_DRIFT_ENV] = 'cast=6,-2,-5;gain=1.04;blur=0.6';
  try {
    const r = await runCli(['render', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Summary;
  } finally {
    delete process.env[PREVIEW_DRIFT_ENV];
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-colour-yaml-'));
  const tools = await resolveFfmpeg();
  const texture = "geq=r='118+22*sin(X*0.9)*cos(Y*0.7)':g='104+20*sin(X*0.6+Y*0.4)':b='92+18*cos(X*0.8-Y*0.5)'";
  await runFfmpeg(tools, ['-v', 'error', '-f', 'lavfi', '-i', `nullsrc=s=1280x720,format=gbrp,${texture}`, '-frames:v', '1', '-pix_fmt', 'rgb24', join(dir, 'keyframe.png')]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('colour_match from YAML', () => {
  it('matches the chain toward its first clip, reports the drift in --json and the report, and re-assembles without re-rendering', async () => {
    const on = await render(true);
    expect(on.verified?.ok).toBe(true);
    const chain = on.drift?.chains[0];
    expect(chain).toMatchObject({ root: 's0', anchor: { clip: 's0' }, colourMatch: true });
    expect(chain?.clips.map((c) => [c.id, c.hop, c.colourMatched])).toEqual([['s0', 0, false], ['s1', 1, true], ['s2', 2, true], ['s3', 3, true]]);
    const last = chain?.clips.at(-1);
    expect(last?.colourError).toBeGreaterThan(15);
    expect(last?.colourErrorMatched).toBeLessThan(0.25 * (last?.colourError ?? 0));
    for (const c of chain?.clips.slice(1) ?? []) expect(c.seamSsim).toBeGreaterThan(0.9);
    const html = await readFile(join(dir, 'out', 'film.report.html'), 'utf8');
    expect(html).toMatch(/<article class="panel" data-chain="s0">.*<svg class="chart".*data-series="matched"/s);

    const off = await render(false);
    expect([off.rendered, off.cached, off.verified?.ok]).toEqual([0, HOPS + 1, true]);
    const offLast = off.drift?.chains[0]?.clips.at(-1);
    expect(offLast?.colourErrorMatched).toBeUndefined();
    expect(offLast?.colourError).toBeCloseTo(last?.colourError ?? 0, 6);
  }, 240_000);
});
