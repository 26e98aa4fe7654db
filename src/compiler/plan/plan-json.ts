// The plan's printed forms: canonical JSON (also used for keys and the lock), the requests, the prompts.
import type { Plan } from './types.js';

/** A copy of a JSON value with object keys sorted, recursively. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

/** Canonical JSON (sorted keys, 2-space indent, trailing newline): byte-identical for identical plans. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
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
