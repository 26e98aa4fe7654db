// Gathers what the report shows of the stills (generated images): each still's thumbnail, status, model, size,
// prompt, cost and the clips and stills that use it, so stills can be reviewed before video is paid for.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Plan, SourcePosition, StillId } from '../compiler/plan/types.js';
import { runFfmpeg } from '../media/ffmpeg.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import type { RunEvent } from '../runner/events.js';
import type { RunResult } from '../runner/run-plan.js';

/** What happened to a still in this run. */
export type StillStatus = 'made' | 'cached' | 'failed' | 'skipped' | 'not-run';

/** One still as the report shows it. */
export interface ReportStill {
  readonly id: StillId;
  readonly at: SourcePosition;
  readonly status: StillStatus;
  readonly model: string;
  readonly prompt: string;
  readonly actualPrompt?: string;
  readonly seed: number;
  readonly width: number;
  readonly height: number;
  readonly costUsd: number;
  readonly usedBy: readonly string[];
  readonly taskId?: string;
  readonly message?: string;
  /** A JPEG thumbnail as a `data:` URI (absent when the still is missing). */
  readonly thumbnail?: string;
}

/** Each still of the plan with its outcome in this run and a thumbnail of the image. */
export async function collectStills(plan: Plan, result: RunResult, events: readonly RunEvent[], o: {
  readonly tools: FfmpegTools; readonly limit: <T>(task: () => Promise<T>) => Promise<T>; readonly tempFile: (ext: 'jpg') => string;
  readonly thumbWidth: number; readonly signal?: AbortSignal;
}): Promise<ReportStill[]> {
  const status = new Map<string, { status: StillStatus; message?: string; taskId?: string }>();
  for (const e of events) {
    if (e.type === 'rendered' && e.node === 'still') status.set(e.clip, { status: 'made', ...(e.taskId ? { taskId: e.taskId } : {}) });
    else if (e.type === 'cached' && e.node === 'still') status.set(e.clip, { status: 'cached' });
    else if (e.type === 'skipped' && e.node === 'still') status.set(e.clip, { status: 'skipped', message: e.reason });
  }
  for (const f of result.failures) if (f.kind === 'still') status.set(f.clip, { status: 'failed', message: f.message });
  return Promise.all(plan.stills.map(async (s): Promise<ReportStill> => {
    const r = result.stills.get(s.id);
    const m = r?.entry.meta;
    const st = status.get(s.id) ?? (r ? { status: r.cached ? 'cached' as const : 'made' as const } : { status: 'not-run' as const });
    const thumbnail = r ? await o.limit(() => thumb(o, r.file)) : undefined;
    const taskId = st.taskId ?? m?.taskId;
    return {
      id: s.id, at: s.at, status: st.status, model: s.model, prompt: s.prompt, seed: s.seed.value,
      ...(m?.actualPrompt && m.actualPrompt !== s.prompt ? { actualPrompt: m.actualPrompt } : {}),
      width: m?.width ?? s.expected.width, height: m?.height ?? s.expected.height, costUsd: s.cost.usd, usedBy: s.usedBy,
      ...(taskId ? { taskId } : {}), ...(st.message ? { message: st.message } : {}), ...(thumbnail ? { thumbnail } : {}),
    };
  }));
}

async function thumb(o: { tools: FfmpegTools; tempFile: (ext: 'jpg') => string; thumbWidth: number; signal?: AbortSignal }, png: string): Promise<string> {
  const out = o.tempFile('jpg');
  await runFfmpeg(o.tools, ['-i', resolve(png), '-vf', `scale=${o.thumbWidth}:-2`, '-frames:v', '1', '-f', 'image2', '-update', '1', '-c:v', 'mjpeg', '-q:v', '4',
    '-fflags', '+bitexact', '-flags:v', '+bitexact', out], o.signal ? { signal: o.signal } : {});
  return `data:image/jpeg;base64,${(await readFile(out)).toString('base64')}`;
}
