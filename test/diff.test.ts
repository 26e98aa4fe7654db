import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffCommand, excerpts } from '../src/cli/commands/diff.js';
import type { Output } from '../src/cli/output.js';
import { diffPlans, jsonChanges, type PlanDiff } from '../src/compiler/plan/diff-plans.js';
import { planOf } from './helpers/run-fixture.js';

const BASE = `version: 1
title: Diff
scenes:
  - { id: one, model: wan2.2-t2v-plus, size: "832*480", prompt: A red door. }
  - { id: two, model: wan2.2-i2v-flash, resolution: 480P, continues: one, prompt: The door opens. }
  - { id: three, model: wan2.2-i2v-flash, resolution: 480P, continues: two, prompt: A garden behind it. }
  - { id: other, model: wan2.7-t2v, resolution: 720P, prompt: A quiet street. }
`;

async function diff(a: string, b: string, json = false): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out: Output = { out: (t) => void (stdout += t.endsWith('\n') ? t : t + '\n'), err: (t) => void (stderr += t.endsWith('\n') ? t : t + '\n'), isTTY: false };
  const code = await diffCommand(a, b, out, { json });
  return { code, stdout, stderr };
}

describe('diffPlans', () => {
  it('finds nothing between identical plans', () => {
    const d = diffPlans(planOf(BASE), planOf(BASE));
    expect(d).toMatchObject({ identical: true, added: [], removed: [], changed: [], affected: [], stitch: [] });
  });

  it('lists changed request fields as JSON paths with old and new values, and the clips downstream', () => {
    const edited = BASE.replace('The door opens.', 'The door creaks open.').replace('resolution: 480P, continues: one', 'resolution: 480P, seed: 7, continues: one')
      .replace('prompt: A quiet street.', 'prompt: A quiet street., duration: 8');
    const d = diffPlans(planOf(BASE), planOf(edited));
    expect(d.identical).toBe(false);
    const two = d.changed.find((c) => c.clip === 'two');
    expect(two?.fields.map((f) => f.path)).toEqual(['body.input.prompt', 'body.parameters.seed']);
    expect(two?.fields[0]).toEqual({ path: 'body.input.prompt', old: 'The door opens.', new: 'The door creaks open.' });
    expect(two?.fields[1]).toMatchObject({ path: 'body.parameters.seed', new: 7 });
    const other = d.changed.find((c) => c.clip === 'other');
    expect(other?.fields).toEqual([{ path: 'body.parameters.duration', new: 8 }, { path: 'expected.duration', old: 5, new: 8 }]);
    expect(d.affected).toEqual([{ clip: 'three', upstream: ['two'] }]);
    expect(d.changed.map((c) => c.clip)).toEqual(['two', 'other']);
    expect(d.totals.new.seconds - d.totals.old.seconds).toBe(3);
  });

  it('lists added and removed clips, a model change as path and body.model, and a changed first frame', () => {
    const edited = BASE.replace(/ {2}- \{ id: other.*\n/, '  - { id: four, model: wan2.2-t2v-plus, size: "832*480", prompt: Night. }\n')
      .replace('continues: two,', 'continues: one,').replace('id: one, model: wan2.2-t2v-plus', 'id: one, model: wan2.5-t2v-preview');
    const d = diffPlans(planOf(BASE), planOf(edited));
    expect(d.added).toEqual([{ clip: 'four', model: 'wan2.2-t2v-plus', resolution: '480P', seconds: 5, usd: 0.1 }]);
    expect(d.removed.map((c) => c.clip)).toEqual(['other']);
    expect(d.changed.find((c) => c.clip === 'one')?.fields.map((f) => f.path)).toContain('body.model');
    expect(d.changed.find((c) => c.clip === 'three')?.inputs).toEqual([
      { name: 'first_frame', old: { clip: 'two', frame: 'last' }, new: { clip: 'one', frame: 'last' } },
    ]);
    expect(d.stitch).toEqual(expect.arrayContaining(['order', 'joins']));
  });

  it('a drift-control edit is assembled again, not rendered again: the clips it grades are listed apart', () => {
    const graded = BASE.replace('prompt: A red door. }', 'prompt: A red door., colour_match: true }');
    const d = diffPlans(planOf(BASE), planOf(graded));
    expect(d).toMatchObject({ identical: false, changed: [], affected: [] });
    expect(d.regraded).toEqual(['one', 'two', 'three'].map((clip) => ({ clip, fields: [{ path: 'chain.colourMatch', old: false, new: true }] })));
  });

  it('a carry edit changes the continued clip (its input and length), and what continues from it', () => {
    const carried = `version: 1
scenes:
  - { id: a, prompt: A boat leaves., duration: 6 }
  - { id: b, continues: { scene: a, carry: 2 }, prompt: It sails on., duration: 5 }
  - { id: c, continues: b, prompt: It turns., duration: 5 }
`;
    const d = diffPlans(planOf(carried), planOf(carried.replace('carry: 2', 'carry: 3')));
    expect(d.changed).toEqual([{ clip: 'b', fields: [{ path: 'expected.duration', old: 7, new: 8 }], inputs: [{ name: 'first_clip', old: { clip: 'a', tail: 2 }, new: { clip: 'a', tail: 3 } }] }]);
    expect(d.affected).toEqual([{ clip: 'c', upstream: ['b'] }]);
  });

  it('jsonChanges walks objects and arrays', () => {
    expect(jsonChanges({ a: [1, { b: 2 }], c: 'x' }, { a: [1, { b: 3 }, 4], d: true })).toEqual([
      { path: 'a[1].b', old: 2, new: 3 }, { path: 'a[2]', new: 4 }, { path: 'c', old: 'x' }, { path: 'd', new: true },
    ]);
  });

  it('cuts long strings down to where they differ', () => {
    const a = 'A long corridor lit by candles, with an old painting of the sea on the wall and a door at the end.';
    const [x, y] = excerpts(a, a.replace('the sea', 'a ship'));
    expect(x).toBe('…"with an old painting of the sea on the wall and a door "…');
    expect(y).toBe('…"with an old painting of a ship on the wall and a door "…');
    expect(excerpts(undefined, 5)).toEqual(['(none)', '5']);
  });
});

describe('storyboard diff', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-diff-'));
  const a = join(dir, 'a', 'film.yaml');
  const b = join(dir, 'b', 'film.yaml');
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };

  it('exits 0 for the same storyboard, 1 when it differs, 2 when either is invalid or missing', async () => {
    write(a, BASE);
    write(b, BASE);
    const same = await diff(a, b);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('The plans are identical');
    write(b, BASE.replace('The door opens.', 'The door creaks open.'));
    const changed = await diff(a, b);
    expect(changed.code).toBe(1);
    expect(changed.stdout.split('\n')).toEqual([
      `--- ${a}`, `+++ ${b}`,
      '~ two: changed',
      '    body.input.prompt: "The door opens." → "The door creaks open."',
      '~ three: renders again: starts on the last frame of two, which changed',
      '0 added, 0 removed, 1 changed, 1 affected; 4 → 4 clips, 20 → 20 s, estimated $0.75 → $0.75 for a full render',
      '',
    ]);
    const json = JSON.parse((await diff(a, b, true)).stdout) as PlanDiff & { a: string; b: string };
    expect(json.changed[0]?.fields).toEqual([{ path: 'body.input.prompt', old: 'The door opens.', new: 'The door creaks open.' }]);
    write(b, BASE.replace('continues: one', 'continues: nowhere'));
    const invalid = await diff(a, b);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('error unknown-scene-ref');
    expect((await diff(a, join(dir, 'missing.yaml'))).code).toBe(2);
  });
});
