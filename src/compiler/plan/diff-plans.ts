// What differs between two compiled plans, clip by clip: the request fields as JSON paths, the inputs,
// and the clips that are unchanged themselves but start on a changed clip's last frame. Pure.
import { newSeconds } from './expected-output.js';
import type { ClipId, ClipInput, ClipJob, InputSource, Plan, StillJob } from './types.js';

/** One changed value at a JSON path (`body.input.prompt`, `path`, `body.input.media[0].type`); absent `old`/`new`: no such field. */
export interface FieldChange {
  readonly path: string;
  readonly old?: unknown;
  readonly new?: unknown;
}

/** A changed input of a clip: where it comes from before and after (absent: no such input). */
export interface InputChange {
  readonly name: ClipInput['name'];
  readonly old?: InputSource;
  readonly new?: InputSource;
}

/** A clip (or still: `kind`) present in both plans whose request, expected output or inputs differ. */
export interface ClipChange {
  readonly clip: ClipId;
  readonly kind?: 'still';
  /** Request fields (`method`, `path`, `body.*`) then expected-output fields (`expected.*`). */
  readonly fields: readonly FieldChange[];
  readonly inputs: readonly InputChange[];
}

/**
 * A clip (or still) whose own request is unchanged but that starts on the last frame of a changed (or itself
 * affected) clip, or uses a changed still (`stills`).
 */
export interface AffectedClip {
  readonly clip: ClipId;
  readonly kind?: 'still';
  readonly upstream: readonly ClipId[];
  readonly stills?: readonly string[];
}

/** A clip (or still: `kind`, `resolution` is then its size) only one plan has, with what it would cost. */
export interface ClipSummary {
  readonly clip: ClipId;
  readonly kind?: 'still';
  readonly model: string;
  readonly resolution: string;
  readonly seconds: number;
  readonly usd: number;
}

/** The difference between two plans. */
export interface PlanDiff {
  readonly added: readonly ClipSummary[];
  readonly removed: readonly ClipSummary[];
  readonly changed: readonly ClipChange[];
  readonly affected: readonly AffectedClip[];
  /**
   * Clips whose drift control changed (`chain.colourMatch`, `chain.anchor`, `chain.seamFrame`, …) but not their
   * request: the film is assembled again (graded anew), nothing is rendered or paid again.
   */
  readonly regraded: readonly { readonly clip: ClipId; readonly fields: readonly FieldChange[] }[];
  /** Top-level fields of the stitch job (film assembly) that differ, e.g. `order`, `joins`, `music`. */
  readonly stitch: readonly string[];
  readonly totals: { readonly old: Plan['totals']; readonly new: Plan['totals'] };
  /** True when no clip and nothing of the assembly differs. */
  readonly identical: boolean;
}

/** Compares plan `a` (old) with plan `b` (new). */
export function diffPlans(a: Plan, b: Plan): PlanDiff {
  const oldJobs = new Map(a.jobs.map((j) => [j.id, j]));
  const newJobs = new Map(b.jobs.map((j) => [j.id, j]));
  const oldStills = new Map(a.stills.map((s) => [s.id, s]));
  const newStills = new Map(b.stills.map((s) => [s.id, s]));
  const added = [...b.stills.filter((s) => !oldStills.has(s.id)).map(stillSummary), ...b.jobs.filter((j) => !oldJobs.has(j.id)).map(summary)];
  const removed = [...a.stills.filter((s) => !newStills.has(s.id)).map(stillSummary), ...a.jobs.filter((j) => !newJobs.has(j.id)).map(summary)];
  const changed: ClipChange[] = [];
  const regraded: { clip: ClipId; fields: FieldChange[] }[] = [];
  for (const s of b.stills) {
    const before = oldStills.get(s.id);
    if (!before) continue;
    const fields = [...jsonChanges(before.request, s.request), ...jsonChanges(before.expected, s.expected, 'expected')];
    const inputs = inputChanges(before.inputs, s.inputs);
    if (fields.length > 0 || inputs.length > 0) changed.push({ clip: s.id, kind: 'still', fields, inputs });
  }
  for (const j of b.jobs) {
    const before = oldJobs.get(j.id);
    if (!before) continue;
    const fields = [...jsonChanges(before.request, j.request), ...jsonChanges(before.expected, j.expected, 'expected')];
    const inputs = inputChanges(before.inputs, j.inputs);
    if (fields.length > 0 || inputs.length > 0) changed.push({ clip: j.id, fields, inputs });
    else {
      // where a clip stands in its chain (root, hop) follows from its inputs; what is asked of the assembly is new
      const grade = jsonChanges(driftControl(before.chain), driftControl(j.chain), 'chain');
      if (grade.length > 0) regraded.push({ clip: j.id, fields: grade });
    }
  }
  const affected = affectedClips(b, new Set([...changed.map((c) => c.clip), ...added.map((c) => c.clip)]));
  const stitch = Object.keys({ ...a.stitch, ...b.stitch }).filter((k) =>
    JSON.stringify((a.stitch as unknown as Record<string, unknown>)[k]) !== JSON.stringify((b.stitch as unknown as Record<string, unknown>)[k]));
  return {
    added, removed, changed, affected, regraded, stitch, totals: { old: a.totals, new: b.totals },
    identical: added.length === 0 && removed.length === 0 && changed.length === 0 && regraded.length === 0 && stitch.length === 0,
  };
}

/** What a chain asks of the film's assembly (not of the model): anchor, colour matching, seam frame. */
function driftControl(chain: ClipJob['chain']): unknown {
  return chain ? { anchor: chain.anchor, colourMatch: chain.colourMatch, seamFrame: chain.seamFrame } : undefined;
}

function stillSummary(s: StillJob): ClipSummary {
  return { clip: s.id, kind: 'still', model: s.model, resolution: `${s.expected.width}*${s.expected.height}`, seconds: 0, usd: s.cost.usd };
}

function summary(j: ClipJob): ClipSummary {
  return { clip: j.id, model: j.model, resolution: j.cost.resolution, seconds: newSeconds(j), usd: j.cost.usd };
}

/** Every leaf that differs between two JSON values, as paths below `prefix` (objects by key, arrays by index). */
export function jsonChanges(a: unknown, b: unknown, prefix = ''): FieldChange[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const join = (key: string | number): string => (typeof key === 'number' ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key);
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => i).flatMap((i) => jsonChanges(a[i], b[i], join(i)));
  }
  if (isRecord(a) && isRecord(b)) {
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((k) => jsonChanges(a[k], b[k], join(k)));
  }
  return [{ path: prefix, ...(a !== undefined ? { old: a } : {}), ...(b !== undefined ? { new: b } : {}) }];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Inputs whose source differs, by input name (positions in the YAML are ignored). */
function inputChanges(a: readonly ClipInput[], b: readonly ClipInput[]): InputChange[] {
  const names = [...new Set([...a, ...b].map((i) => i.name))];
  return names.flatMap((name) => {
    const before = a.find((i) => i.name === name)?.from;
    const after = b.find((i) => i.name === name)?.from;
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    return [{ name, ...(before ? { old: before } : {}), ...(after ? { new: after } : {}) }];
  });
}

/** What a node of the graph waits for: upstream clips (last frames) and stills. */
type Node = { readonly id: string; readonly dependsOn: readonly string[]; readonly stills: readonly string[]; readonly kind?: 'still' };

/**
 * Unchanged clips and stills of `plan` that start, directly or down a chain, on a clip of `changed`, or use a
 * changed still. Linear: a worklist down the edges.
 */
function affectedClips(plan: Plan, changed: ReadonlySet<ClipId>): AffectedClip[] {
  const nodes: Node[] = [
    ...plan.stills.map((s) => ({ id: s.id, dependsOn: [], stills: s.dependsOn, kind: 'still' as const })),
    ...plan.jobs.map((j) => ({ id: j.id, dependsOn: j.dependsOn, stills: j.stills ?? [] })),
  ];
  const dependents = new Map<ClipId, Node[]>();
  for (const j of nodes) {
    for (const d of [...j.dependsOn, ...j.stills]) {
      const list = dependents.get(d);
      if (list) list.push(j);
      else dependents.set(d, [j]);
    }
  }
  // a chain may run against film order (a scene can continue a later one): follow the edges, not the list
  const tainted = new Set(changed);
  const reached: Node[] = [];
  const todo = [...changed];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    for (const j of dependents.get(id) ?? []) {
      if (tainted.has(j.id)) continue;
      tainted.add(j.id);
      reached.push(j);
      todo.push(j.id);
    }
  }
  const order = new Map(nodes.map((j, i) => [j.id, i]));
  return reached.sort((x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0)).map((j) => {
    const stills = j.stills.filter((d) => tainted.has(d));
    return { clip: j.id, ...(j.kind ? { kind: j.kind } : {}), upstream: j.dependsOn.filter((d) => tainted.has(d)), ...(stills.length ? { stills } : {}) };
  });
}
