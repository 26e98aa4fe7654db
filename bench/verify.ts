// bench/verify: film verification against the render that makes the film. A 60 s 720p storyboard (a chain
// of three 10 s clips with continuity seams, then a dissolve, a fade through black and a cut) is rendered from
// nothing with the preview backend (clips, assembly, verification), then the film is verified again on its
// own. Target: verification time < 0.25 × the render's time, both measured in this run.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import type { Output } from '../src/cli/output.js';
import { readManifest } from '../src/assembly/film-manifest.js';
import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';
import { verifyFilm } from '../src/assembly/verify-film.js';
import { report } from './measure.js';

const STORYBOARD = `version: 1
title: Verify bench
defaults: { model: wan2.7-t2v, resolution: 720P, ratio: "16:9", prompt_extend: false }
scenes:
  - { id: a, duration: 10, prompt: The first part of a long take. }
  - { id: b, model: wan2.7-i2v, continues: a, duration: 10, prompt: The take goes on. }
  - { id: c, model: wan2.7-i2v, continues: b, duration: 10, prompt: The take ends. }
  - { id: d, duration: 10, prompt: Another place. }
  - { id: e, duration: 10, transition: { type: fade, duration: 1 }, prompt: Night falls. }
  - { id: f, duration: 12, transition: { type: cut }, prompt: Morning. }
output: { file: out/film.mp4, transition: { type: dissolve, duration: 0.5 } }
`;

const seconds = async (fn: () => Promise<unknown>): Promise<number> => {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

const dir = await mkdtemp(join(tmpdir(), 'storyboard-bench-verify-'));
try {
  const file = join(dir, 'film.yaml');
  await writeFile(file, STORYBOARD);
  let log = '';
  const out: Output = { out: (t) => void (log += t + '\n'), err: (t) => void (log += t + '\n'), isTTY: false };
  let code = -1;
  const render = await seconds(async () => (code = await main(['render', file], out)));
  if (code !== 0) throw new Error(`render failed (${code}):\n${log}`);
  const film = join(dir, 'out', 'film.mp4');
  const manifest = await readManifest(film);
  if (!manifest) throw new Error('no timeline next to the film');
  const tools = await resolveFfmpeg();
  let ok = false;
  let frames = 0;
  const verify = await seconds(async () => {
    const v = await verifyFilm(tools, film, manifest);
    ok = v.ok;
    frames = v.frames.verified;
  });
  report({
    bench: 'verify 60 s 720p film', filmSeconds: manifest.frames / manifest.fps, framesVerified: frames, ok,
    renderSeconds: render, verifySeconds: verify, ratio: verify / render, target: '< 0.25',
    note: 'render = clips + assembly + verification from an empty cache; verify = verifyFilm again on the film',
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
