// Plans the film's assembly (the StitchJob): joins and transitions between clips, timeline, chapters and
// subtitle cues, in whole frames.
import type { Storyboard } from '../storyboard.js';
import type { ClipJob, Cue, Join, StitchJob } from './types.js';

const FPS = 30;

/** A clip with what stitching needs to know about how it was made. */
export interface StitchClip {
  readonly job: ClipJob;
  /** Index of the scene in the storyboard. */
  readonly sceneIndex: number;
  /** The clip starts on the previous clip's last frame. */
  readonly continuesPrevious: boolean;
  /** Offsets of dialogue/caption text inside the clip. */
  readonly cues: readonly { readonly shot: string; readonly from: number; readonly to: number; readonly text: string; readonly kind: Cue['kind'] }[];
}

/** Plans the film's assembly: joins between consecutive clips, timeline, chapters and subtitle cues (in whole frames). */
export function planStitch(storyboard: Storyboard, clips: readonly StitchClip[]): StitchJob {
  const joins: Join[] = [];
  const startFrames: number[] = [];
  let cursor = 0;
  clips.forEach((clip, i) => {
    const prev = clips[i - 1];
    if (prev) {
      const join = clampJoin(joinOf(storyboard, prev, clip), prev, clip, joins[joins.length - 1]);
      joins.push(join);
      cursor -= Math.round(join.duration * FPS) + (clip.job.carry ? 0 : join.type === 'seam' ? 1 : 0);
    }
    // a continued clip's carried frames are dropped wherever it stands: its start is that of its (unseen) frame 0
    cursor -= carriedFrames(clip);
    startFrames.push(cursor);
    cursor += Math.round(clip.job.expected.duration * FPS);
  });
  const seconds = (frames: number): number => Math.round((frames / FPS) * 1e6) / 1e6;
  const out = storyboard.output;
  return {
    output: out.file,
    order: clips.map((c) => c.job.id),
    joins,
    starts: startFrames.map(seconds),
    duration: seconds(cursor),
    chapters: chaptersOf(storyboard, clips, startFrames, cursor).map((c) => ({ ...c, start: seconds(c.start), end: seconds(c.end) })),
    cues: cuesOf(clips, startFrames),
    fit: out.fit,
    ...(out.resolution ? { size: out.resolution } : {}),
    ...(out.music ? { music: { file: out.music.file.relative ?? out.music.file.ref, volume: out.music.volume, fadeIn: out.music.fadeIn, fadeOut: out.music.fadeOut, loop: out.music.loop, duck: out.music.duck } } : {}),
    subtitles: out.subtitles,
    chapterMarks: out.chapters,
  };
}

/** Frames at the start of a clip that repeat the clip it continues (clip continuation); the film drops them. */
function carriedFrames(clip: StitchClip): number {
  return clip.job.carry?.frames ?? 0;
}

function joinOf(storyboard: Storyboard, a: StitchClip, b: StitchClip): Join {
  const scene = storyboard.scenes[b.sceneIndex];
  const chained = b.job.dependsOn.includes(a.job.id) && b.job.inputs.some((i) => 'clip' in i.from && i.from.clip === a.job.id);
  const explicit = a.sceneIndex !== b.sceneIndex && scene?.settings.transition?.origin === 'scene' ? scene.settings.transition.value : undefined;
  if ((b.continuesPrevious || chained) && !explicit) return { from: a.job.id, to: b.job.id, type: 'seam', duration: storyboard.output.seam };
  if (a.sceneIndex === b.sceneIndex) return { from: a.job.id, to: b.job.id, type: 'cut', duration: 0 };
  const t = explicit ?? scene?.settings.transition?.value ?? storyboard.output.transition;
  return { from: a.job.id, to: b.job.id, type: t.type, duration: t.type === 'cut' ? 0 : t.duration };
}

/** A transition may take at most half of either clip (after the previous transition's share), in whole frames. */
function clampJoin(join: Join, a: StitchClip, b: StitchClip, before: Join | undefined): Join {
  if (join.type === 'cut' || join.duration === 0) return join;
  const taken = before && before.type !== 'cut' ? Math.round(before.duration * FPS) : 0;
  const room = Math.floor(Math.min(a.job.expected.duration * FPS - carriedFrames(a) - taken, b.job.expected.duration * FPS - carriedFrames(b)) / 2);
  const frames = Math.max(0, Math.min(Math.round(join.duration * FPS), room));
  return { ...join, duration: Math.round((frames / FPS) * 1e6) / 1e6 };
}

function chaptersOf(storyboard: Storyboard, clips: readonly StitchClip[], starts: readonly number[], end: number): { scene: string; title: string; start: number; end: number }[] {
  const chapters: { scene: string; title: string; start: number; end: number }[] = [];
  clips.forEach((clip, i) => {
    const scene = storyboard.scenes[clip.sceneIndex];
    if (!scene || chapters[chapters.length - 1]?.scene === scene.id) return;
    const prev = chapters[chapters.length - 1];
    if (prev) prev.end = (starts[i] ?? end) + carriedFrames(clip);
    chapters.push({ scene: scene.id, title: scene.title ?? scene.id, start: (starts[i] ?? 0) + carriedFrames(clip), end });
  });
  return chapters;
}

function cuesOf(clips: readonly StitchClip[], starts: readonly number[]): Cue[] {
  const cues: Cue[] = [];
  clips.forEach((clip, i) => {
    const base = (starts[i] ?? 0) + carriedFrames(clip);
    for (const c of clip.cues) {
      const start = Math.round((base + c.from * FPS)) / FPS;
      const end = Math.round((base + c.to * FPS)) / FPS;
      const last = cues[cues.length - 1];
      // a long shot split into chained clips carries its text once, across all of them
      if (last && last.shot === c.shot && last.text === c.text && last.kind === c.kind && Math.abs(last.end - start) < 0.05) {
        cues[cues.length - 1] = { ...last, end: round(end) };
      } else {
        cues.push({ start: round(start), end: round(end), text: c.text, kind: c.kind, clip: clip.job.id, shot: c.shot });
      }
    }
  });
  return cues.sort((x, y) => x.start - y.start || (x.kind === 'caption' ? -1 : 1));
}

function round(s: number): number {
  return Math.round(s * 1e6) / 1e6;
}
