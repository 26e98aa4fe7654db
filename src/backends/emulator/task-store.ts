// The task table and state machine: PENDING (FIFO per model) → RUNNING (up to the model's
// concurrency) → SUCCEEDED | FAILED after `latency`; CANCELED only from PENDING; UNKNOWN once older
// than the retention (24 h of emulated time). The table is bounded; old finished tasks are dropped.
// Video tasks make one MP4; image tasks make one PNG per image, some of which may fail on their own.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageModelSpec, ModelSpec } from '../../compiler/models/types.js';
import type { Clock } from './clock.js';
import type { EmulatedJob, EmulatorImageRender, EmulatorRender, EmulatorStats, ImageJob } from './types.js';

/** Task states that a task in the table can have (UNKNOWN is the absence of one). */
export type TaskStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';

/** Why a task fails, and whether it fails as soon as it is scheduled or after running. */
export interface PlannedFailure {
  readonly code: string;
  readonly message: string;
  readonly at: 'start' | 'end';
}

/** One image of an image task: its signed URL, or why it failed. */
export type ImageResult = { readonly url: string } | { readonly code: string; readonly message: string };

/** What every task of the table has. */
interface TaskCommon {
  readonly id: string;
  readonly submitMs: number;
  readonly planned?: PlannedFailure;
  status: TaskStatus;
  eligible: boolean;
  scheduledMs?: number;
  endMs?: number;
  error?: { readonly code: string; readonly message: string };
  timer?: NodeJS.Timeout;
  abort?: AbortController;
}

/** A video task: one MP4. */
export interface VideoTask extends TaskCommon {
  readonly kind: 'video';
  readonly model: ModelSpec;
  readonly job: EmulatedJob;
  videoUrl?: string;
}

/** An image task: `job.n` PNGs, the ones in `failedImages` failing on their own (partial failure). */
export interface ImageTask extends TaskCommon {
  readonly kind: 'image';
  readonly model: ImageModelSpec;
  readonly job: ImageJob;
  readonly failedImages: readonly number[];
  images?: readonly ImageResult[];
}

/** One task of the table. */
export type Task = VideoTask | ImageTask;

/** What a new task is made of (its id is its job's `taskId`). */
export type NewTask =
  | { readonly kind: 'video'; readonly model: ModelSpec; readonly job: EmulatedJob }
  | { readonly kind: 'image'; readonly model: ImageModelSpec; readonly job: ImageJob; readonly failedImages: readonly number[] };

/** How one image of an image task fails (the reference's partial-failure example). */
export const IMAGE_FAILURE = {
  code: 'InternalError.Timeout',
  message: 'An internal timeout error has occurred during execution, please try again later or contact service support.',
} as const;

/** What the store needs from the emulator. */
interface TaskStoreOptions {
  readonly clock: Clock;
  readonly latencyMs: number;
  readonly pendingDelayMs: number;
  readonly retentionMs: number;
  readonly maxTasks: number;
  readonly dir: string;
  readonly render: EmulatorRender;
  readonly imageRender: EmulatorImageRender;
  readonly concurrency: (model: ModelSpec | ImageModelSpec) => number;
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
  private readonly closing = new AbortController();

  constructor(private readonly o: TaskStoreOptions) {}

  /** Queues a new PENDING task; undefined when the table is full of unfinished tasks. */
  add(entry: NewTask, planned?: PlannedFailure): Task | undefined {
    if (!this.makeRoom()) return undefined;
    const common = { id: entry.job.taskId, submitMs: this.o.clock(), status: 'PENDING' as const, eligible: false, planned };
    const task: Task = entry.kind === 'video' ? { ...common, ...entry } : { ...common, ...entry };
    this.tasks.set(task.id, task);
    this.queueOf(task.model.id).push(task);
    task.timer = setTimeout(() => {
      task.eligible = true;
      this.pump(task.model);
    }, this.o.pendingDelayMs);
    return task;
  }

  /**
   * Makes the images of a sync call at once (after the latency, like a task), signed like a task's results
   * and kept as long; rejects when the emulator closes meanwhile.
   */
  async makeImagesNow(job: ImageJob): Promise<ImageResult[]> {
    const signal = this.closing.signal;
    // one listener per call on the shared signal, removed when the wait ends
    const wait = new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.o.latencyMs);
      signal.addEventListener('abort', done, { once: true });
    });
    await Promise.all([this.renderImages(job, [], signal), wait]);
    signal.throwIfAborted();
    return this.imageResults(job, [], this.o.clock());
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
    this.closing.abort();
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
    if (task.status !== 'SUCCEEDED') return;
    const names = task.kind === 'video' ? [`${task.id}.mp4`] : Array.from({ length: task.job.n }, (_, i) => imageFileName(task.id, i));
    for (const name of names) void rm(join(this.o.dir, name), { force: true }).catch(() => undefined);
  }

  /** Renders the images of a job that do not fail, one after the other (they share the machine with the tests). */
  private async renderImages(job: ImageJob, failed: readonly number[], signal: AbortSignal): Promise<void> {
    for (let i = 0; i < job.n; i++) {
      if (!failed.includes(i)) await this.o.imageRender(job, i, join(this.o.dir, imageFileName(job.taskId, i)), signal);
    }
  }

  /** Each image's signed URL (valid 24 h from `nowMs`) or its failure. */
  private imageResults(job: ImageJob, failed: readonly number[], nowMs: number): ImageResult[] {
    const expires = Math.floor(nowMs / 1000) + RESULT_TTL_SECONDS;
    return Array.from({ length: job.n }, (_, i) => (failed.includes(i) ? { ...IMAGE_FAILURE } : { url: this.o.signUrl(imageFileName(job.taskId, i), expires) }));
  }

  private work(task: Task, signal: AbortSignal): Promise<void> {
    if (task.kind === 'video') return this.o.render(task.job, join(this.o.dir, `${task.id}.mp4`), signal);
    return this.renderImages(task.job, task.failedImages, signal);
  }

  private pump(model: ModelSpec | ImageModelSpec): void {
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
    const work = task.planned ? Promise.resolve() : Promise.resolve().then(() => this.work(task, abort.signal));
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
    const allImagesFailed = task.kind === 'image' && task.failedImages.length >= task.job.n;
    if (failure || allImagesFailed) {
      task.status = 'FAILED';
      task.error = failure ? { code: failure.code, message: failure.message } : { ...IMAGE_FAILURE };
      this.o.stats.failed++;
    } else if (task.kind === 'video') {
      task.status = 'SUCCEEDED';
      task.videoUrl = this.o.signUrl(`${task.id}.mp4`, Math.floor(task.endMs / 1000) + RESULT_TTL_SECONDS);
      this.o.stats.succeeded++;
      this.o.stats.billed_seconds += task.job.duration + task.job.inputVideoSeconds;
      this.o.stats.first_clip_seconds += task.job.firstClip?.seconds ?? 0;
    } else {
      task.status = 'SUCCEEDED';
      task.images = this.imageResults(task.job, task.failedImages, task.endMs);
      this.o.stats.succeeded++;
      this.o.stats.billed_images += task.job.n - task.failedImages.length;
    }
    this.pump(task.model);
  }
}

/** File name of image `index` (0-based) of a task or sync call. */
export function imageFileName(taskId: string, index: number): string {
  return `${taskId}-${index + 1}.png`;
}
