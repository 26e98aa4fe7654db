// The task table and state machine: PENDING (FIFO per model) → RUNNING (up to the model's
// concurrency) → SUCCEEDED | FAILED after `latency`; CANCELED only from PENDING; UNKNOWN once older
// than the retention (24 h of emulated time). The table is bounded; old finished tasks are dropped.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelSpec } from '../../compiler/models/types.js';
import type { Clock } from './clock.js';
import { describeJob } from './emulated-job.js';
import type { EmulatedJob, EmulatorRender, EmulatorStats } from './types.js';

/** Task states that a task in the table can have (UNKNOWN is the absence of one). */
export type TaskStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

/** Why a task fails, and whether it fails as soon as it is scheduled or after running. */
export interface PlannedFailure {
  readonly code: string;
  readonly message: string;
  readonly at: 'start' | 'end';
}

/** One task of the table. */
export interface Task {
  readonly id: string;
  readonly model: ModelSpec;
  readonly job: EmulatedJob;
  readonly submitMs: number;
  readonly planned?: PlannedFailure;
  status: TaskStatus;
  eligible: boolean;
  scheduledMs?: number;
  endMs?: number;
  error?: { readonly code: string; readonly message: string };
  videoUrl?: string;
  timer?: NodeJS.Timeout;
  abort?: AbortController;
}

/** What the store needs from the emulator. */
interface TaskStoreOptions {
  readonly clock: Clock;
  readonly latencyMs: number;
  readonly pendingDelayMs: number;
  readonly retentionMs: number;
  readonly maxTasks: number;
  readonly dir: string;
  readonly render: EmulatorRender;
  readonly concurrency: (model: ModelSpec) => number;
  /** The signed download URL of a result file, valid until `expires` (epoch seconds). */
  readonly signUrl: (name: string, expires: number) => string;
  readonly stats: EmulatorStats;
}

const TERMINAL: readonly TaskStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELED'];
const RESULT_TTL_SECONDS = 24 * 3600;

/** Tasks by id, with per-model FIFO queues and running counts. */
export class TaskStore {
  private readonly tasks = new Map<string, Task>();
  private readonly queues = new Map<string, Task[]>();
  private readonly running = new Map<string, number>();
  private closed = false;

  constructor(private readonly o: TaskStoreOptions) {}

  /** Queues a new PENDING task; undefined when the table is full of unfinished tasks. */
  add(model: ModelSpec, body: Readonly<Record<string, unknown>>, planned?: PlannedFailure, media?: EmulatedJob['media']): Task | undefined {
    if (!this.makeRoom()) return undefined;
    const id = randomUUID();
    const job = describeJob(id, model, body);
    const task: Task = { id, model, job: media && Object.keys(media).length ? { ...job, media } : job, submitMs: this.o.clock(), status: 'PENDING', eligible: false, planned };
    this.tasks.set(id, task);
    this.queueOf(model.id).push(task);
    task.timer = setTimeout(() => {
      task.eligible = true;
      this.pump(model);
    }, this.o.pendingDelayMs);
    return task;
  }

  /** The task, unless unknown or older than the retention. */
  get(id: string): Task | undefined {
    const task = this.tasks.get(id);
    return task && !this.expired(task) ? task : undefined;
  }

  /** Cancels a PENDING task; false when it is not PENDING (or unknown). */
  cancel(id: string): boolean {
    const task = this.get(id);
    if (task?.status !== 'PENDING') return false;
    clearTimeout(task.timer);
    const queue = this.queueOf(task.model.id);
    queue.splice(queue.indexOf(task), 1);
    task.status = 'CANCELED';
    task.endMs = this.o.clock();
    this.o.stats.canceled++;
    return true;
  }

  /** Live tasks, newest first. */
  all(): Task[] {
    return [...this.tasks.values()].filter((t) => !this.expired(t)).reverse();
  }

  /** Stops every timer and aborts every render; later completions are ignored. */
  close(): void {
    this.closed = true;
    for (const task of this.tasks.values()) {
      clearTimeout(task.timer);
      task.abort?.abort();
    }
  }

  private expired(task: Task): boolean {
    return this.o.clock() - task.submitMs > this.o.retentionMs;
  }

  private queueOf(model: string): Task[] {
    let q = this.queues.get(model);
    if (!q) this.queues.set(model, (q = []));
    return q;
  }

  /** Drops expired finished tasks, then the oldest finished ones while the table is full. */
  private makeRoom(): boolean {
    for (const task of this.tasks.values()) {
      if (this.tasks.size < this.o.maxTasks && !this.expired(task)) break;
      if (TERMINAL.includes(task.status) && (this.expired(task) || this.tasks.size >= this.o.maxTasks)) this.drop(task);
    }
    return this.tasks.size < this.o.maxTasks;
  }

  private drop(task: Task): void {
    this.tasks.delete(task.id);
    if (task.status === 'SUCCEEDED') void rm(this.fileOf(task), { force: true }).catch(() => undefined);
  }

  private fileOf(task: Task): string {
    return join(this.o.dir, `${task.id}.mp4`);
  }

  private pump(model: ModelSpec): void {
    const queue = this.queueOf(model.id);
    while (!this.closed && (this.running.get(model.id) ?? 0) < this.o.concurrency(model) && queue[0]?.eligible) {
      this.start(queue.shift() as Task);
    }
  }

  private start(task: Task): void {
    const n = (this.running.get(task.model.id) ?? 0) + 1;
    this.running.set(task.model.id, n);
    const max = this.o.stats.max_running;
    max[task.model.id] = Math.max(max[task.model.id] ?? 0, n);
    task.status = 'RUNNING';
    task.scheduledMs = this.o.clock();
    if (task.planned?.at === 'start') return this.finish(task, task.planned);
    const abort = (task.abort = new AbortController());
    const work = task.planned ? Promise.resolve() : Promise.resolve().then(() => this.o.render(task.job, this.fileOf(task), abort.signal));
    const wait = new Promise<void>((resolve) => (task.timer = setTimeout(resolve, this.o.latencyMs)));
    Promise.all([work, wait]).then(
      () => this.finish(task, task.planned),
      (e: unknown) => this.finish(task, { code: 'InternalError', message: `Render failed: ${e instanceof Error ? e.message : String(e)}`, at: 'end' }),
    );
  }

  private finish(task: Task, failure: PlannedFailure | undefined): void {
    if (this.closed) return;
    task.abort = undefined;
    task.endMs = this.o.clock();
    this.running.set(task.model.id, (this.running.get(task.model.id) ?? 1) - 1);
    if (failure) {
      task.status = 'FAILED';
      task.error = { code: failure.code, message: failure.message };
      this.o.stats.failed++;
    } else {
      task.status = 'SUCCEEDED';
      task.videoUrl = this.o.signUrl(`${task.id}.mp4`, Math.floor(task.endMs / 1000) + RESULT_TTL_SECONDS);
      this.o.stats.succeeded++;
      this.o.stats.billed_seconds += task.job.duration;
    }
    this.pump(task.model);
  }
}
