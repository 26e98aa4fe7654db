import stringify from 'json-stable-stringify';
import type { Plan } from './types.js';

/** Canonical JSON (sorted keys, 2-space indent, trailing newline): byte-identical for identical plans. */
export function canonicalJson(value: unknown): string {
  return (stringify(value, { space: 2 }) ?? 'null') + '\n';
}

/** The plan as canonical JSON. */
export function planJson(plan: Plan): string {
  return canonicalJson(plan);
}

/** One request per clip in plan order: `{clip, method, path, body}`. */
export function requestsJson(plan: Plan): string {
  return canonicalJson(plan.jobs.map((j) => ({ clip: j.id, method: j.request.method, path: j.request.path, body: j.request.body })));
}

/** The prompts only, one block per clip. */
export function promptsText(plan: Plan): string {
  return plan.jobs.map((j) => `# ${j.id} (${j.model}, ${j.expected.duration} s)\n${j.prompt}\n`).join('\n');
}
