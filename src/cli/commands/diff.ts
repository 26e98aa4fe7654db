// `storyboard diff <a> <b>`: compiles two storyboards and prints which clips were added, removed or changed,
// and why (nothing is rendered).
import { diffPlans, type ClipChange, type ClipSummary, type InputChange, type PlanDiff } from '../../compiler/plan/diff-plans.js';
import type { InputSource } from '../../compiler/plan/types.js';
import { formatUsd } from '../../runner/budget.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { loadPlan } from './compile.js';

/** Options of `storyboard diff`. */
export interface DiffOptions {
  readonly json?: boolean;
}

/**
 * `storyboard diff <a> <b>`: compiles both storyboards (nothing is rendered) and prints the clips added,
 * removed and changed. Exit 0 when the plans are identical, 1 when they differ, 2 when either is invalid.
 */
export async function diffCommand(a: string, b: string, out: Output, options: DiffOptions): Promise<number> {
  const [left, right] = [await loadPlan(a, out), await loadPlan(b, out)];
  if (!left.plan || !right.plan) {
    out.err(`storyboard: cannot compare: ${[left.plan ? undefined : a, right.plan ? undefined : b].filter(Boolean).join(' and ')} did not compile`);
    return EXIT.usage;
  }
  const diff = diffPlans(left.plan, right.plan);
  out.out(options.json ? JSON.stringify({ a, b, ...diff }, null, 2) : diffText(a, b, diff));
  return diff.identical ? EXIT.ok : EXIT.failed;
}

/** The readable form of a plan diff. */
export function diffText(a: string, b: string, d: PlanDiff): string {
  const lines = [`--- ${a}`, `+++ ${b}`];
  if (d.identical) return [...lines, 'The plans are identical: no clip would change.'].join('\n') + '\n';
  const name = (c: { clip: string; kind?: 'still' }): string => (c.kind ? `still ${c.clip}` : c.clip);
  for (const c of d.removed) lines.push(`- ${name(c)}: removed (${about(c)})`);
  for (const c of d.added) lines.push(`+ ${name(c)}: added (${about(c)})`);
  for (const c of d.changed) lines.push(`~ ${name(c)}: changed`, ...changeLines(c).map((l) => `    ${l}`));
  for (const c of d.affected) {
    const why = [
      c.upstream.length ? `starts on the last frame of ${c.upstream.join(', ')}` : '',
      c.stills?.length ? `uses still ${c.stills.join(', ')}` : '',
    ].filter(Boolean).join(' and ');
    lines.push(`~ ${name(c)}: ${c.kind ? 'made' : 'renders'} again: ${why}, which changed`);
  }
  for (const c of d.regraded) {
    lines.push(`~ ${c.clip}: drift control changed (assembled again, not rendered again)`, ...c.fields.map((f) => {
      const [before, after] = excerpts(f.old, f.new);
      return `    ${f.path}: ${before} → ${after}`;
    }));
  }
  if (d.stitch.length > 0) lines.push(`film assembly: ${d.stitch.join(', ')} changed`);
  const t = d.totals;
  lines.push(`${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.affected.length} affected; ` +
    `${t.old.clips} → ${t.new.clips} clips, ${t.old.seconds} → ${t.new.seconds} s, estimated ${formatUsd(t.old.usd)} → ${formatUsd(t.new.usd)} for a full render`);
  return lines.join('\n') + '\n';
}

function about(c: ClipSummary): string {
  return c.kind ? `${c.model} ${c.resolution}, ${formatUsd(c.usd)}` : `${c.model} ${c.resolution}, ${c.seconds} s, ${formatUsd(c.usd)}`;
}

function changeLines(c: ClipChange): string[] {
  return [
    ...c.fields.map((f) => {
      const [before, after] = excerpts(f.old, f.new);
      return `${f.path}: ${before} → ${after}`;
    }),
    ...c.inputs.map((i: InputChange) => `inputs.${i.name}: ${sourceText(i.old)} → ${sourceText(i.new)}`),
  ];
}

function sourceText(s: InputSource | undefined): string {
  if (!s) return '(none)';
  if ('url' in s) return `url ${s.url}`;
  if ('file' in s) return `file ${s.file}`;
  if ('still' in s) return `still ${s.still}`;
  return `last frame of clip ${s.clip}`;
}

const CONTEXT = 24;

/** Two values as JSON; long strings cut down to the part that differs, with some context either side. */
export function excerpts(a: unknown, b: unknown): [string, string] {
  const show = (v: unknown): string => (v === undefined ? '(none)' : JSON.stringify(v));
  if (typeof a !== 'string' || typeof b !== 'string' || Math.max(a.length, b.length) <= 2 * CONTEXT + 20) return [show(a), show(b)];
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  const cut = (x: string): string => {
    const from = Math.max(0, p - CONTEXT);
    const to = Math.min(x.length, x.length - s + CONTEXT);
    return `${from > 0 ? '…' : ''}${JSON.stringify(x.slice(from, to))}${to < x.length ? '…' : ''}`;
  };
  return [cut(a), cut(b)];
}
