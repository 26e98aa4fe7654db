// A stitch that stops mid-way and waits to be killed: it runs `stitchFilm` and, once every piece is encoded
// (before the film is muxed and committed), prints `parked` and blocks its event loop, so its `.parts-` folder
// is in use by a live process until the parent SIGKILLs it (test/stale-temps.test.ts).
// Usage: node --import tsx test/helpers/stitch-until-killed.ts '<json: { job, clips, output, cacheDir }>'
import { writeSync } from 'node:fs';
import type { StitchJob } from '../../src/compiler/plan/types.js';
import { stitchFilm, type FilmClip } from '../../src/assembly/stitch-film.js';
import { resolveFfmpeg } from '../../src/media/ffmpeg-binaries.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as { job: StitchJob; clips: FilmClip[]; output: string; cacheDir: string };
const tools = await resolveFfmpeg();
await stitchFilm(tools, spec.job, spec.clips, spec.output, {
  cacheDir: spec.cacheDir,
  onProgress: (fraction) => {
    // 0.95 (give or take rounding) once every piece task is done; 1 after the commit
    if (Math.abs(fraction - 0.95) > 1e-9) return;
    writeSync(1, 'parked\n');
    // nothing runs in this process any more (no ffmpeg is in flight: every piece is done), until it is killed
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300_000);
  },
});
