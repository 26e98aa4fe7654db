import { appendFileSync } from 'node:fs';
import type { Backend, RenderRequest } from '../../src/backends/backend.js';
import { runFfmpeg } from '../../src/media/ffmpeg.js';

/** Options of the fake backend. */
export interface FakeBackendOptions {
  /** Simulated remote latency per clip. */
  readonly delayMs?: number;
  /** Appends `submit <clip>` / `collect <clip>` lines here (fsync'd by appendFileSync) to count calls across processes. */
  readonly log?: string;
  readonly concurrency?: number;
  /** Clips that fail. */
  readonly failing?: ReadonlySet<string>;
}

/**
 * A backend that behaves like a remote one (records a task id in the journal before "waiting", collects a
 * recorded task instead of resubmitting) and writes a tiny real MP4 of the right duration.
 */
export function fakeBackend(options: FakeBackendOptions = {}): Backend & { submitted: string[]; peak: () => number } {
  const submitted: string[] = [];
  let inFlight = 0;
  let peak = 0;
  return {
    name: 'fake', paid: false, version: '1', submitted, peak: () => peak,
    concurrency: () => options.concurrency ?? 4,
    async render(req: RenderRequest) {
      peak = Math.max(peak, ++inFlight);
      try {
        return await renderOne(req);
      } finally {
        inFlight--;
      }
    },
  };

  async function renderOne(req: RenderRequest): Promise<{ taskId: string }> {
      const existing = req.journal.submitted(req.key);
      const taskId = existing ?? `task-${req.job.id}-${submitted.length}`;
      if (!existing) {
        submitted.push(req.job.id);
        if (options.log) appendFileSync(options.log, `submit ${req.job.id}\n`);
        await req.journal.record(req.key, taskId);
      } else if (options.log) {
        appendFileSync(options.log, `collect ${req.job.id}\n`);
      }
      await new Promise((r) => setTimeout(r, options.delayMs ?? 0));
      if (options.failing?.has(req.job.id)) throw new Error('DataInspectionFailed: the input did not pass moderation');
      const d = req.job.expected.duration;
      const colour = (parseInt(req.key.slice(0, 6), 16) & 0xffffff).toString(16).padStart(6, '0');
      await runFfmpeg(req.ffmpeg, ['-f', 'lavfi', '-i', `color=c=0x${colour}:s=64x36:r=30:d=${d}`,
        ...(req.job.expected.audio ? ['-f', 'lavfi', '-i', `sine=f=440:d=${d}:r=48000`, '-ac', '2'] : []),
        '-frames:v', String(d * 30), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-threads', '1', '-shortest', req.outFile], { signal: req.signal });
      return { taskId };
  }
}
