import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../src/compiler/plan/types.js';
import type { LockFile } from '../src/runner/lock-file.js';
import { probeMedia, runFfmpeg, spawnTool } from '../src/media/ffmpeg.js';
import { resolveFfmpeg, type FfmpegTools } from '../src/media/ffmpeg-binaries.js';
import { lastFrame, ssim } from './helpers/media.js';
import { runCli } from './helpers/run-cli.js';

let tools: FfmpegTools;
beforeAll(async () => {
  tools = await resolveFfmpeg();
});

type Event = { type: string; clip?: string; rendered?: number; cached?: number; ok?: boolean; frames?: number; problems?: number };
const events = (stdout: string): Event[] => stdout.trim().split('\n').map((l) => JSON.parse(l) as Event);

describe('render the original film end to end with the preview backend', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  cpSync('storyboards/lighthouse.yaml', join(dir, 'lighthouse.yaml'));
  cpSync('storyboards/keyframes', join(dir, 'keyframes'), { recursive: true });
  const file = join(dir, 'lighthouse.yaml');
  let plan: Plan;
  let lock: LockFile;

  it('renders every clip and the film, with the planned durations, sizes, streams and continuity', async () => {
    plan = JSON.parse((await runCli(['compile', file])).stdout) as Plan;
    const r = await runCli(['render', '--json', file]);
    expect(r.code, r.stderr).toBe(0);
    const ev = events(r.stdout);
    expect(ev.filter((e) => e.type === 'rendered')).toHaveLength(plan.jobs.length);
    expect(ev[ev.length - 1]).toMatchObject({ type: 'summary', rendered: plan.jobs.length, cached: 0, failed: 0 });
    lock = JSON.parse(readFileSync(join(dir, 'lighthouse.lock.json'), 'utf8')) as LockFile;
    const clipFile = (id: string): string => join(dir, '.storyboard', 'cache', 'clips', `${lock.clips[id]?.key}.mp4`);
    for (const job of plan.jobs) {
      const info = await probeMedia(tools, clipFile(job.id));
      const v = info.streams.find((s) => s.codecType === 'video');
      const a = info.streams.find((s) => s.codecType === 'audio');
      expect([v?.width, v?.height, v?.frameRate, v?.pixFmt, v?.codecName]).toEqual([job.expected.width, job.expected.height, 30, 'yuv420p', 'h264']);
      expect(v?.nbFrames).toBe(job.expected.duration * 30);
      expect(Boolean(a)).toBe(job.expected.audio);
      if (a) expect([a.sampleRate, a.channels, a.codecName]).toEqual([48000, 2, 'aac']);
    }
    // continuity: a clip starts on the exact last frame of the clip it continues
    for (const job of plan.jobs) {
      for (const up of job.dependsOn) {
        const png = await lastFrame(tools, clipFile(up), dir, up);
        expect(await ssim(tools, png, clipFile(job.id))).toBeGreaterThanOrEqual(0.98);
      }
    }
    const film = await probeMedia(tools, join(dir, plan.stitch.output));
    const fv = film.streams.find((s) => s.codecType === 'video');
    const fa = film.streams.find((s) => s.codecType === 'audio');
    expect(Math.abs((fv?.duration ?? 0) - plan.stitch.duration)).toBeLessThanOrEqual(1 / 30 + 1e-6);
    expect(Math.abs((fa?.duration ?? 0) - (fv?.duration ?? 0))).toBeLessThanOrEqual(1 / 30 + 1e-6);
    const { stderr } = await runFfmpeg(tools, ['-v', 'error', '-i', join(dir, plan.stitch.output), '-f', 'null', '-']);
    expect(stderr.trim()).toBe('');
    // every frame is there (the README's film once lost 159 to a freeze), counted by decoding, and the video
    // timestamps step exactly one frame at a time
    const counted = await spawnTool(tools.ffprobe.path, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', join(dir, plan.stitch.output)]);
    expect(Number(counted.stdout.trim())).toBe(1948);
    expect(Math.round(plan.stitch.duration * 30)).toBe(1948);
    const pts = (await spawnTool(tools.ffprobe.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', join(dir, plan.stitch.output)]))
      .stdout.trim().split('\n').map(Number).sort((a, b) => a - b);
    expect(pts.slice(1).map((t, i) => Math.round((t - (pts[i] ?? 0)) * 30 * 1000) / 1000).filter((d) => d !== 1)).toEqual([]);
    // and the render verified it frame by frame, every frame by its code
    expect(ev.find((e) => e.type === 'verified')).toMatchObject({ ok: true, frames: 1948, problems: 0 });
    const timeline = JSON.parse(readFileSync(join(dir, 'out', 'lighthouse.timeline.json'), 'utf8')) as { verification: { ok: boolean; frames: { verified: number } } };
    expect(timeline.verification).toMatchObject({ ok: true, frames: { verified: 1948 } });
  }, 240_000);

  it('a second render renders nothing and leaves a byte-identical film', async () => {
    const r = await runCli(['render', '--json', file]);
    expect(r.code).toBe(0);
    const ev = events(r.stdout);
    expect(ev[ev.length - 1]).toMatchObject({ type: 'summary', rendered: 0, cached: plan.jobs.length });
    const again = JSON.parse(readFileSync(join(dir, 'lighthouse.lock.json'), 'utf8')) as LockFile;
    expect(again.film?.sha256).toBe(lock.film?.sha256);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(readFileSync(join(dir, plan.stitch.output))).digest('hex')).toBe(lock.film?.sha256);
  }, 120_000);

  it('--frozen passes when everything is cached', async () => {
    expect((await runCli(['render', '--frozen', file])).code).toBe(0);
  }, 120_000);

  it('writes SRT and WebVTT sidecars with the planned cue times', () => {
    const srt = readFileSync(join(dir, 'out', 'lighthouse.srt'), 'utf8');
    const blocks = srt.trim().split('\n\n');
    const starts = new Set(plan.stitch.cues.map((c) => c.start));
    expect(blocks).toHaveLength(starts.size);
    const first = plan.stitch.cues[0];
    expect(blocks[0]).toContain(first?.text ?? '');
    expect(readFileSync(join(dir, 'out', 'lighthouse.vtt'), 'utf8').startsWith('WEBVTT')).toBe(true);
  });

  it('`storyboard stitch` re-assembles the same film from the cache without rendering', async () => {
    const { rmSync } = await import('node:fs');
    rmSync(join(dir, plan.stitch.output));
    const r = await runCli(['stitch', '--json', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(events(r.stdout).filter((e) => e.type === 'rendered')).toEqual([]);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(readFileSync(join(dir, plan.stitch.output))).digest('hex')).toBe(lock.film?.sha256);
  }, 120_000);
});

describe('editing one clip of a chain', () => {
  it('re-renders exactly that clip and the clips after it; --frozen then refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-edit-'));
    const text = `version: 1
title: Edit
defaults: { resolution: 720P }
scenes:
  - { id: one, model: wan2.2-t2v-plus, size: "832*480", prompt: A red door. }
  - { id: two, model: wan2.2-i2v-flash, resolution: 480P, continues: one, prompt: The door opens. }
  - { id: three, model: wan2.2-i2v-flash, resolution: 480P, continues: two, prompt: A garden behind it. }
  - { id: other, model: wan2.2-t2v-plus, size: "832*480", prompt: A quiet street. }
`;
    const file = join(dir, 'edit.yaml');
    writeFileSync(file, text);
    expect((await runCli(['render', file])).code).toBe(0);
    writeFileSync(file, text.replace('The door opens.', 'The door creaks open.'));
    const frozen = await runCli(['render', '--frozen', '--json', file]);
    expect(frozen.code).toBe(1);
    expect(events(frozen.stdout).filter((e) => e.type === 'rendered')).toEqual([]);
    const r = await runCli(['render', '--json', file]);
    expect(r.code).toBe(0);
    expect(events(r.stdout).filter((e) => e.type === 'rendered').map((e) => e.clip)).toEqual(['two', 'three']);
  }, 120_000);
});
