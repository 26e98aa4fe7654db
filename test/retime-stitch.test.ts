// A clip that ends early on its sharpest frame (`seam_frame: sharpest`) takes its trimmed frames out of the film:
// chapters, subtitles and starts after it move earlier by exactly as much, and its own last cue ends with it.
import { describe, expect, it } from 'vitest';
import { retimeStitch } from '../src/assembly/retime-stitch.js';
import { planOf } from './helpers/run-fixture.js';

const CHAIN = `version: 1
title: Retime
output: { chapters: true, subtitles: { srt: true } }
scenes:
  - id: dawn
    duration: 5
    shots: [{ duration: 5, prompt: Dawn over the bay., caption: Dawn }]
  - id: storm
    continues: dawn
    seam_frame: sharpest
    shots: [{ duration: 10, prompt: A storm rolls in., caption: Storm }]
  - id: calm
    continues: storm
    shots: [{ duration: 5, prompt: The sea calms., caption: Calm }]
  - id: night
    continues: { scene: calm, carry: 2 }
    shots: [{ duration: 4, prompt: Night falls., caption: Night }]
`;

describe('retimeStitch', () => {
  const plan = planOf(CHAIN);

  it('changes nothing (the same object) when no clip is trimmed', () => {
    expect(retimeStitch(plan, new Map([['storm', 0]]))).toBe(plan.stitch);
  });

  it('moves everything after a clip trimmed by 5 frames 5 frames earlier, and ends the clip\'s own cue with it', () => {
    const before = plan.stitch;
    const after = retimeStitch(plan, new Map([['storm', 5]]));
    const cue = (s: typeof before, text: string) => s.cues.find((c) => c.text === text);
    const chapter = (s: typeof before, scene: string) => s.chapters.find((c) => c.scene === scene);
    const f = (frames: number): number => Math.round((frames / 30) * 1e6) / 1e6;
    // dawn is untouched; storm (frame 0 repeats dawn's last) ends 5 frames early
    expect(cue(after, 'Dawn')).toEqual(cue(before, 'Dawn'));
    expect(cue(after, 'Storm')?.start).toBe(cue(before, 'Storm')?.start);
    expect(cue(after, 'Storm')?.end).toBe(f(Math.round((cue(before, 'Storm')?.end ?? 0) * 30) - 5));
    for (const text of ['Calm', 'Night']) {
      expect(cue(after, text)?.start).toBe(f(Math.round((cue(before, text)?.start ?? 0) * 30) - 5));
      expect(cue(after, text)?.end).toBe(f(Math.round((cue(before, text)?.end ?? 0) * 30) - 5));
    }
    expect(chapter(after, 'storm')?.end).toBe(f(Math.round((chapter(before, 'storm')?.end ?? 0) * 30) - 5));
    expect(chapter(after, 'calm')?.start).toBe(chapter(after, 'storm')?.end);
    expect(after.starts.map((s) => Math.round(s * 30))).toEqual(before.starts.map((s, i) => Math.round(s * 30) - (i >= 2 ? 5 : 0)));
    expect(Math.round(after.duration * 30)).toBe(Math.round(before.duration * 30) - 5);
    // the continued-by-clip scene still starts where its new footage does
    expect(cue(after, 'Night')?.start).toBe(chapter(after, 'night')?.start);
  });
});
