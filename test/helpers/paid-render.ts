// Renders small storyboards through the real DashScope backend against the emulator (directly or through the
// lossy proxy) and proves what came out: billed seconds, tasks created, and every film frame from its own clip.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyFilm } from '../../src/assembly/verify-film.js';
import { readManifest } from '../../src/assembly/film-manifest.js';
import { createDashscopeBackend, type DashscopeBackendOptions } from '../../src/backends/dashscope/dashscope-backend.js';
import type { Plan } from '../../src/compiler/plan/types.js';
import { codeTag } from '../../src/media/frame-code.js';
import type { FfmpegTools } from '../../src/media/ffmpeg-binaries.js';
import { renderStoryboard, type RenderStoryboardOutcome } from '../../src/render/render-storyboard.js';
import type { RunEvent } from '../../src/runner/events.js';

/** A storyboard of `clips` two-second wan2.7-t2v clips at 720P with distinct prompts (2 s each is billed). */
export function shortClips(clips: number, title = 'Paid once'): string {
  return ['version: 1', `title: ${title}`, 'defaults: { model: wan2.7-t2v, resolution: 720P }', 'scenes:',
    ...Array.from({ length: clips }, (_, i) => `  - { id: c${i}, prompt: "Clip ${i} of ${title}: a lighthouse, wave ${i}.", duration: 2 }`)].join('\n') + '\n';
}

/** A fresh directory holding `film.yaml` with this text. */
export async function storyboardDir(text: string, prefix = 'sb-paid-'): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const file = join(dir, 'film.yaml');
  await writeFile(file, text);
  return { dir, file };
}

/** A render through the DashScope backend at `baseUrl`, polling fast; its events are collected. */
export async function renderPaid(file: string, baseUrl: string, tools: FfmpegTools, options: Partial<DashscopeBackendOptions> & { signal?: AbortSignal } = {}): Promise<{ outcome: RenderStoryboardOutcome; events: RunEvent[] }> {
  const { signal, ...backendOptions } = options;
  const backend = createDashscopeBackend({ apiKey: 'sk-paid-once', baseUrl, pollSchedule: [0.1], ...backendOptions });
  const events: RunEvent[] = [];
  const outcome = await renderStoryboard(file, { backend, tools, approve: async () => true, onEvent: (e) => events.push(e), ...(signal ? { signal } : {}) });
  return { outcome, events };
}

/** The frame-code tag the emulator's preview renderer stamps on a clip: the hash of the create body it received. */
function emulatorTag(body: unknown): number {
  return codeTag(createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32));
}

/**
 * Verifies the film frame by frame with each clip's identity: every frame must carry the tag of the task made
 * from that clip's own request (a clip showing another clip's video fails), in order, none frozen or missing.
 */
export async function verifyOwnClips(tools: FfmpegTools, film: string, plan: Plan): Promise<{ ok: boolean; frames: number; problems: string[] }> {
  const manifest = await readManifest(film);
  if (!manifest) return { ok: false, frames: 0, problems: ['no manifest beside the film'] };
  const bodies = new Map(plan.jobs.map((j) => [j.id, j.request.body]));
  const tagged = { ...manifest, clips: manifest.clips.map((c) => ({ ...c, tag: emulatorTag(bodies.get(c.clip)) })) };
  const v = await verifyFilm(tools, film, tagged);
  return { ok: v.ok, frames: v.frames.verified, problems: v.problems.map((p) => `${p.kind}: ${p.message}`) };
}

/** The journal's entry files of a storyboard directory. */
export async function journalFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, '.storyboard', 'journal')).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
}
