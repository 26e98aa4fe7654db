import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const STORYBOARD = `version: 1
scenes:
${Array.from({ length: 6 }, (_, i) => `  - { id: s${i}, model: wan2.2-t2v-plus, prompt: Scene ${i}., size: "832*480" }`).join('\n')}
  - { id: tail, model: wan2.2-i2v-flash, continues: s0, prompt: Tail. }
`;

const count = (log: string, verb: string): Map<string, number> => {
  const m = new Map<string, number>();
  for (const line of existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) {
    const [v, clip] = line.split(' ');
    if (v === verb && clip) m.set(clip, (m.get(clip) ?? 0) + 1);
  }
  return m;
};

describe('kill -9 in the middle of a run, then resume', () => {
  it('collects the journaled tasks and submits no task twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sb-kill-'));
    const log = join(dir, 'calls.log');
    const sb = join(dir, 'film.yaml');
    writeFileSync(sb, STORYBOARD);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/resumable-run.ts', dir, log, sb], { stdio: 'ignore' });
    // wait until tasks are submitted and every submitted one is journaled, but not finished, then kill without
    // warning. (A kill between a task's creation and its journal entry is the known gap that reconciliation
    // with the task list closes; under load the old condition sometimes landed in it.)
    const journaled = (): number => (existsSync(join(dir, 'journal')) ? readdirSync(join(dir, 'journal')).filter((f) => f.endsWith('.json')).length : 0);
    const settled = (): boolean => {
      const submitted = [...count(log, 'submit').values()].reduce((a, b) => a + b, 0);
      return submitted >= 3 && journaled() >= submitted;
    };
    for (let i = 0; i < 300 && !settled(); i++) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const inFlight = readdirSync(join(dir, 'journal')).filter((f) => f.endsWith('.json'));
    expect(inFlight.length).toBeGreaterThan(0);
    const resumed = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/resumable-run.ts', dir, log, sb], { encoding: 'utf8' });
    expect(resumed.status).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual({ done: ['s0', 's1', 's2', 's3', 's4', 's5', 'tail'], failures: 0 });
    const submits = count(log, 'submit');
    expect([...submits.values()].every((n) => n === 1)).toBe(true);
    expect(submits.size).toBe(7);
    expect(count(log, 'collect').size).toBe(inFlight.length);
    expect(readdirSync(join(dir, 'journal')).filter((f) => f.endsWith('.json'))).toEqual([]);
  }, 60_000);
});
