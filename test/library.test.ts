import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as lib from '../src/index.js';

describe('the library entry point', () => {
  it('validates and compiles a storyboard through the public API alone', () => {
    const text = readFileSync('storyboards/detective-wan27.yaml', 'utf8');
    const valid = lib.validateStoryboard({ path: 'detective.yaml', text });
    if (!valid.ok) throw new Error(lib.formatDiagnostics(valid.diagnostics, { sources: new Map([['detective.yaml', text]]) }));
    const plan = lib.planStoryboard(valid.value);
    expect(plan.jobs.map((j) => j.model)).toEqual(['wan2.7-t2v']);
    expect(lib.checkRequest(plan.jobs[0]?.request.body, plan.jobs[0]?.request.path)).toEqual([]);
    expect(JSON.parse(lib.requestsJson(plan))).toHaveLength(1);
  });

  it('exports the runner, backends and emulator', () => {
    for (const name of ['runPlan', 'stitchFilm', 'createPreviewBackend', 'createDashscopeBackend', 'startEmulator', 'resolveFfmpeg', 'main']) {
      expect(typeof (lib as Record<string, unknown>)[name]).toBe('function');
    }
    expect(lib.MODELS.size).toBe(19);
    expect([...lib.MODELS.values()].filter((m) => m.kind === 'r2v').map((m) => m.id)).toEqual(['wan2.7-r2v', 'wan2.6-r2v', 'wan2.6-r2v-flash']);
    expect(lib.IMAGE_MODELS.size).toBe(8);
  });
});
