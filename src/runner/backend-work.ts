// One backend call for a node of the run graph (a clip or a still), the same for both: a slot held only while the
// backend works, the output kept, the journal entry dropped; on failure the temp file removed and the entry kept
// only when the task may still finish or the run was stopped (so the next run collects it instead of paying again).
import { rm } from 'node:fs/promises';
import { BackendError } from '../backends/backend.js';
import type { SourcePosition } from '../compiler/plan/types.js';
import { ClipRenderError } from './clip-render-error.js';
import type { RunEvent } from './events.js';
import type { PrioritySlots } from './priority-slots.js';
import type { RunPlanOptions } from './run-options.js';

/** What {@link backendWork} needs to know about the node and the run. */
export interface BackendWork<O, T> {
  readonly options: RunPlanOptions;
  readonly slots: PrioritySlots;
  readonly node: { readonly id: string; readonly at: SourcePosition; readonly model: string; readonly kind: 'clip' | 'still' };
  readonly key: string;
  /** The temp file the backend writes (removed on failure). */
  readonly tmp: string;
  readonly priority: number;
  readonly order: number;
  readonly emit: (e: RunEvent) => void;
  /** The backend call; `releaseSlot` frees the slot early (e.g. while downloading). */
  readonly call: (releaseSlot: () => void) => Promise<O>;
  /**
   * Checks and keeps the output (into the cache); runs after the slot is freed, before the journal entry is dropped.
   * `wallMs`: how long the backend worked, from its start (slot acquired) to its answer.
   */
  readonly keep: (outcome: O, wallMs: number) => Promise<T>;
}

/** Runs one backend call as described in the file comment; failures become ClipRenderErrors of the node's kind. */
export async function backendWork<O, T>(w: BackendWork<O, T>): Promise<T> {
  const { options, node } = w;
  let release: (() => void) | undefined;
  try {
    release = await w.slots.acquire(node.model, w.priority, w.order, options.signal);
    w.emit({ type: 'started', clip: node.id, key: w.key, ...(node.kind === 'still' ? { node: 'still' as const } : {}) });
    const started = Date.now();
    const outcome = await w.call(() => release?.());
    release();
    const kept = await w.keep(outcome, Date.now() - started);
    await options.journal.complete(w.key);
    return kept;
  } catch (e) {
    release?.();
    await rm(w.tmp, { force: true });
    if (e instanceof ClipRenderError) throw e;
    const aborted = options.signal?.aborted === true;
    // a stopped run or a task that may still finish stays journaled, so the next run collects it
    if (!aborted && !(e instanceof BackendError && e.keepTask)) await options.journal.complete(w.key);
    throw new ClipRenderError(node.id, node.at, aborted ? 'the run was stopped' : e instanceof Error ? e.message : String(e), aborted ? 'aborted' : 'failed', node.kind);
  }
}
