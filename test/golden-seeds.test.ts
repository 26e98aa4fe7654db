import { describe, expect, it } from 'vitest';
import { compileFile } from './helpers/compile.js';

// Request bodies transcribed from the two official guides in shared/reference/seeds/ (curl bodies where the
// guide has one, else the Python SDK call's arguments; en dashes in the SDK prompts are ASCII hyphens here,
// as in the guide's wan2.7 curl example). The compiler always adds a seed: where the guide gives none, the
// body must match with `seed` taken out, and the seed must be a valid derived one.
const VIDEO = '/api/v1/services/aigc/video-generation/video-synthesis';
const KF2V = '/api/v1/services/aigc/image2video/video-synthesis';

const GOLDEN: Record<string, { path: string; model: string; input: object; parameters: Record<string, unknown> }> = {
  'detective-wan27': {
    path: VIDEO, model: 'wan2.7-t2v',
    input: { prompt: 'A thrilling detective chase story with cinematic storytelling. Shot 1 [0-3 s]: Wide shot of a rainy New York street at night, neon lights flickering, a detective in a black trench coat walking briskly. Shot 2 [3-6 s]: Medium shot of the detective entering an old building, rain soaking his coat, the door closing slowly behind him. Shot 3 [6-9 s]: Close-up of the detective focused, determined eyes as distant sirens wail and he frowns slightly in thought. Shot 4 [9-12 s]: Medium shot of the detective moving carefully down a dim hallway, his flashlight illuminating the path ahead. Shot 5 [12-15 s]: Close-up of the detective discovering a key clue, his face lighting up with sudden realization.' },
    parameters: { resolution: '1080P', ratio: '16:9', prompt_extend: true, duration: 15 },
  },
  'garden-wan26': {
    path: VIDEO, model: 'wan2.6-t2v',
    input: { prompt: 'A vision of harmony between future technology and nature. Shot 1 [0-2 s]: Wide shot of an aerial garden in a futuristic city, floating plants swaying gently in the breeze. Shot 2 [2-4 s]: A robot gardener carefully trims plants with precise, graceful movements. Shot 3 [4-7 s]: Sunlight streams through a transparent dome, illuminating the entire garden and showcasing perfect fusion of technology and nature. Shot 4 [7-10 s]: The camera pulls back to reveal the grand scale of the entire futuristic city, with the aerial garden just one part of it.', negative_prompt: '' },
    parameters: { size: '1280*720', shot_type: 'multi', duration: 10, prompt_extend: true, watermark: true, seed: 12345 },
  },
  'fox-detective-audio': {
    path: VIDEO, model: 'wan2.6-t2v',
    input: {
      prompt: "Shot from a low angle, in a medium close-up, with warm tones, mixed lighting (the practical light from the desk lamp blends with the overcast light from the window), side lighting, and a central composition. In a classic detective office, wooden bookshelves are filled with old case files and ashtrays. A green desk lamp illuminates a case file spread out in the center of the desk. A fox, wearing a dark brown trench coat and a light gray fedora, sits in a leather chair, its fur crimson, its tail resting lightly on the edge, its fingers slowly turning yellowed pages. Outside, a steady drizzle falls beneath a blue sky, streaking the glass with meandering streaks. It slowly raises its head, its ears twitching slightly, its amber eyes gazing directly at the camera, its mouth clearly moving as it speaks in a smooth, cynical voice: 'The case was cold, colder than a fish in winter. But every chicken has its secrets, and I, for one, intended to find them '.",
      negative_prompt: '',
      audio_url: 'https://help-static-aliyun-doc.aliyuncs.com/file-manage-files/zh-CN/20250929/stjqnq/%E7%8B%90%E7%8B%B8.mp3',
    },
    parameters: { size: '1280*720', duration: 10, shot_type: 'multi', prompt_extend: true, watermark: true, seed: 12345 },
  },
  'subway-musician': {
    path: VIDEO, model: 'wan2.2-t2v-plus',
    input: { prompt: 'Low contrast. A street musician performs in a retro 1970s-style subway station, bathed in dim colors and rough textures. He wears a vintage jacket and plays guitar with intense focus. Commuters rush past. A small crowd gradually gathers to listen. The camera pans slowly right, capturing the interplay of instrument sounds and city noise, with vintage subway signs and peeling walls in the background.', negative_prompt: '' },
    parameters: { size: '832*480', prompt_extend: true, watermark: true, seed: 12345 },
  },
  'blue-monster-kf2v': {
    path: KF2V, model: 'wan2.2-kf2v-flash',
    input: {
      first_frame_url: 'https://help-static-aliyun-doc.aliyuncs.com/file-manage-files/zh-CN/20260126/ixdxvt/wan-kf2v-blue-1.png',
      last_frame_url: 'https://help-static-aliyun-doc.aliyuncs.com/file-manage-files/zh-CN/20260126/nhtdrc/wan-kf2v-blue-2.png',
      prompt: 'A cute blue monster with a slightly sad expression stands in the rain. The camera slowly zooms in and stops on the moment it looks up at the sky.',
    },
    parameters: { resolution: '720P', prompt_extend: true, watermark: true },
  },
  'black-kitten-wan27': {
    path: VIDEO, model: 'wan2.7-i2v',
    input: {
      prompt: 'Realistic style, a small black cat looks up at the sky curiously. The camera angle gradually rises from eye level, finally capturing its curious gaze from a top-down view.',
      media: [
        { type: 'first_frame', url: 'https://wanx.alicdn.com/material/20250318/first_frame.png' },
        { type: 'last_frame', url: 'https://wanx.alicdn.com/material/20250318/last_frame.png' },
      ],
    },
    parameters: { resolution: '720P', duration: 10, prompt_extend: false, watermark: true },
  },
};

describe('seed guide examples compile to the guides\' request bodies', () => {
  for (const [name, golden] of Object.entries(GOLDEN)) {
    it(name, async () => {
      const plan = await compileFile(`storyboards/${name}.yaml`);
      expect(plan.jobs).toHaveLength(1);
      const [job] = plan.jobs;
      expect(job?.request.path).toBe(golden.path);
      expect(job?.request.body.model).toBe(golden.model);
      expect(job?.request.body.input).toEqual(golden.input);
      const { seed, ...rest } = job?.request.body.parameters ?? {};
      if ('seed' in golden.parameters) {
        expect(job?.request.body.parameters).toEqual(golden.parameters);
        expect(job?.seed.source).toBe('explicit');
      } else {
        expect(rest).toEqual(golden.parameters);
        expect(Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) <= 2147483647).toBe(true);
        expect(job?.seed.source).toBe('derived');
      }
      expect(job?.inputs).toEqual([]);
    });
  }
});
