// `storyboard verify <file>`: decodes a film afresh and checks it frame by frame against the timeline written
// next to it (`<film>.timeline.json`). The file is the film itself or the storyboard whose `output.file` it is.
// Prints a summary and `<film>: error film-<kind>: …` lines, or the whole FilmVerification as JSON.
import { access } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { sha256File } from '../../io/hash.js';
import { resolveFfmpeg, type FfmpegTools } from '../../media/ffmpeg-binaries.js';
import { manifestPath, readManifest, type FilmManifest } from '../../assembly/film-manifest.js';
import { verifyFilm, type FilmVerification } from '../../assembly/verify-film.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { loadPlanWithStoryboard } from './plan.js';

/** Options of `storyboard verify`. */
export interface VerifyOptions {
  /** Print the FilmVerification as one JSON object on stdout instead of the summary. */
  readonly json?: boolean;
  readonly ffmpeg?: string;
  readonly ffprobe?: string;
  readonly signal?: AbortSignal;
}

/** `storyboard verify <film.mp4 | storyboard.yaml>`: 0 when the film verifies, 1 when it has problems, 2 when it cannot be checked. */
export async function verifyCommand(file: string, out: Output, options: VerifyOptions = {}): Promise<number> {
  const film = await filmOf(file, out);
  if (!film) return EXIT.usage;
  const shown = relative('.', film) || film;
  if (!(await access(film).then(() => true, () => false))) {
    out.err(`storyboard: no film at ${shown}${film === file ? '' : ` (the output of ${file})`}: render it with \`storyboard render\` first`);
    return EXIT.usage;
  }
  let manifest: FilmManifest | undefined;
  try {
    manifest = await readManifest(film);
  } catch (e) {
    out.err(`storyboard: the timeline ${relative('.', manifestPath(film))} is damaged (${e instanceof Error ? e.message : String(e)}): render the film again with \`storyboard render\``);
    return EXIT.usage;
  }
  if (!manifest) {
    out.err(`storyboard: no timeline next to ${shown}: render it with \`storyboard render\` first`);
    return EXIT.usage;
  }
  let tools: FfmpegTools;
  try {
    tools = await resolveFfmpeg({ ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}), ...(options.ffprobe ? { ffprobe: options.ffprobe } : {}) });
  } catch (e) {
    out.err(`storyboard: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.failed;
  }
  if (manifest.sha256 && (await sha256File(film)) !== manifest.sha256) {
    out.err(`${shown}: warning film-changed: the film was changed since it was rendered (its sha256 differs from the one its timeline recorded); verifying it as it is`);
  }
  const verification = await verifyFilm(tools, film, manifest, options.signal ? { signal: options.signal } : {}).catch((e: unknown): FilmVerification => ({
    // a file ffprobe cannot read at all is a broken film, not a crash
    ok: false, frames: { expected: manifest.frames, decoded: 0, verified: 0, unchecked: 0 }, clips: [], seams: [],
    problems: [{ kind: 'stream', message: `the film cannot be read: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` }],
  }));
  if (options.json) out.out(JSON.stringify(verification));
  else {
    out.out(summaryText(shown, manifest, verification));
    for (const p of verification.problems) out.err(`${shown}: error film-${p.kind}: ${p.message}`);
  }
  return verification.ok ? EXIT.ok : EXIT.failed;
}

/** The film a file names: itself, or a storyboard's `output.file` resolved against the storyboard's folder (as render does). */
async function filmOf(file: string, out: Output): Promise<string | undefined> {
  if (!/\.ya?ml$/i.test(file)) return file;
  const { plan, code } = await loadPlanWithStoryboard(file, out);
  if (!plan) {
    // an unreadable file was already reported as such; an invalid storyboard names no film to check
    if (code !== EXIT.usage) out.err(`storyboard: cannot find the film of ${file}: the storyboard is invalid`);
    return undefined;
  }
  return join(dirname(file), plan.stitch.output);
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The human summary: the verdict, frame counts, coded clips, each join's SSIM on the film, sound vs picture. */
export function summaryText(film: string, manifest: FilmManifest, v: FilmVerification): string {
  const f = v.frames;
  const coded = v.clips.filter((c) => c.coded);
  const uncoded = v.clips.filter((c) => !c.coded).map((c) => c.clip);
  const lines = [
    `${film}: ${v.ok ? 'verified ✓' : `FAILED ✗ (${plural(v.problems.length, 'problem')})`}`,
    `  frames   ${f.decoded} decoded of ${f.expected} expected; ${f.verified} verified by frame code, ${f.unchecked} unchecked`,
    `  clips    ${coded.length} of ${v.clips.length} carry frame codes${uncoded.length ? ` (uncoded: ${uncoded.join(', ')})` : ''}`,
  ];
  const time = (frame: number): string => `${(frame / manifest.fps).toFixed(3)} s`;
  if (v.seams.length === 0) lines.push('  joins    none measured');
  for (const s of v.seams) lines.push(`  ${s.type.padEnd(8)} ${s.from} → ${s.to}: SSIM ${s.ssim.toFixed(4)} across film frames ${s.before}–${s.after} (at ${time(s.after)})`);
  lines.push(v.audio ? `  audio    ${v.audio.seconds.toFixed(3)} s of sound for ${v.audio.videoSeconds.toFixed(3)} s of picture` : `  audio    ${manifest.audio ? 'no sound measured' : 'none (the timeline has no sound track)'}`);
  return lines.join('\n');
}
