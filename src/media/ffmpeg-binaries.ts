// Finds usable ffmpeg and ffprobe binaries (DESIGN.md "ffmpeg", ffmpeg-notes.md §1) and probes
// what they can do. Spawning goes through ffmpeg.ts, the one module that runs them.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, resolve, sep } from 'node:path';
import { spawnTool } from './ffmpeg.js';
import type { BinarySource, FfmpegEnvVar, FfmpegTool, FfmpegTools, OptionalCapability, RequiredCapability } from './tools.js';

export type { FfmpegTools } from './tools.js';

/** Options for {@link resolveFfmpeg}: explicit paths (e.g. `--ffmpeg`/`--ffprobe`) and the environment to read. */
export interface ResolveFfmpegOptions {
  ffmpeg?: string;
  ffprobe?: string;
  env?: NodeJS.ProcessEnv;
}

const FIX_HINT =
  'Install ffmpeg 4.3 or newer with libx264 (Debian/Ubuntu: `apt-get install ffmpeg`, macOS: `brew install ffmpeg`), ' +
  'or point STORYBOARD_FFMPEG / STORYBOARD_FFPROBE (or --ffmpeg / --ffprobe) at working binaries.';

/** No usable ffmpeg or ffprobe: the message lists what was tried and how to fix it. */
export class FfmpegNotFoundError extends Error {
  override readonly name = 'FfmpegNotFoundError';
  readonly hint = FIX_HINT;
  constructor(readonly tool: FfmpegTool, problem: string, readonly tried: readonly string[] = []) {
    super([problem, ...tried.map((t) => `  - ${t}`), FIX_HINT].join('\n'));
  }
}

const REQUIRED_FILTERS = ['xfade', 'acrossfade', 'drawtext', 'zoompan'] as const;
const OPTIONAL_FILTERS = ['scdet', 'blackdetect', 'ssim'] as const;
const REQUIRED_ENCODERS = ['libx264', 'aac'] as const;
/** xfade arrived in FFmpeg 4.3, whose libavfilter is 7.85 (used for git builds like "N-66595-g…"). */
const MIN_VERSION = [4, 3] as const;
const MIN_LIBAVFILTER = [7, 85] as const;
const PROBE_TIMEOUT_MS = 15_000;
const ENV_VARS: Readonly<Record<FfmpegTool, readonly FfmpegEnvVar[]>> = {
  ffmpeg: ['STORYBOARD_FFMPEG', 'FFMPEG_PATH', 'FFMPEG_BIN'],
  ffprobe: ['STORYBOARD_FFPROBE', 'FFPROBE_PATH'],
};

interface Candidate {
  readonly path: string;
  readonly source: BinarySource;
  /** How to name this candidate in messages, e.g. "STORYBOARD_FFMPEG=/opt/ffmpeg". */
  readonly label: string;
}

/** What running the binary told us; cached per path so each binary is probed once per process. */
interface BinaryProbe {
  readonly banner: string;
  readonly names: ReadonlySet<string>;
}

const probeCache = new Map<string, Promise<BinaryProbe>>();
const requireFromHere = createRequire(import.meta.url);

/**
 * Resolves ffmpeg and ffprobe: explicit option → env vars → optional npm binaries → PATH.
 * A bad explicit/env path is an error; a bad npm/PATH binary is skipped for the next candidate.
 */
export async function resolveFfmpeg(options: ResolveFfmpegOptions = {}): Promise<FfmpegTools> {
  const env = options.env ?? process.env;
  const [ffmpeg, ffprobe] = await Promise.all([
    resolveTool('ffmpeg', options.ffmpeg, env),
    resolveTool('ffprobe', options.ffprobe, env),
  ]);
  const names = ffmpeg.probe.names;
  const capabilities = Object.fromEntries(
    [...REQUIRED_FILTERS, ...OPTIONAL_FILTERS, ...REQUIRED_ENCODERS].map((name) => [name, names.has(name)]),
  ) as Record<RequiredCapability | OptionalCapability, boolean>;
  return { ffmpeg: ffmpeg.binary, ffprobe: ffprobe.binary, capabilities };
}

async function resolveTool(tool: FfmpegTool, explicit: string | undefined, env: NodeJS.ProcessEnv) {
  const given = explicitCandidate(tool, explicit, env);
  if (given) {
    const verdict = await checkCandidate(tool, given);
    if (typeof verdict === 'string') throw new FfmpegNotFoundError(tool, `${given.label} is not usable: ${verdict}.`);
    return verdict;
  }
  const tried: string[] = [];
  for (const candidate of [...npmCandidates(tool, tried), ...pathCandidates(tool, env)]) {
    const verdict = await checkCandidate(tool, candidate);
    if (typeof verdict !== 'string') return verdict;
    tried.push(`${candidate.label}: ${verdict}`);
  }
  if (!tried.some((t) => t.includes('(on PATH)'))) tried.push(`no \`${tool}\` on PATH`);
  throw new FfmpegNotFoundError(tool, `No usable ${tool} found. Tried:`, tried);
}

/** The option wins over env vars; the first non-empty env var wins over the rest. */
function explicitCandidate(tool: FfmpegTool, explicit: string | undefined, env: NodeJS.ProcessEnv): Candidate | undefined {
  if (explicit) return { path: absoluteBinary(explicit, tool, env), source: 'option', label: `--${tool} ${explicit}` };
  for (const name of ENV_VARS[tool]) {
    const value = env[name];
    if (value) return { path: absoluteBinary(value, tool, env), source: `env:${name}`, label: `${name}=${value}` };
  }
  return undefined;
}

/** A bare name such as "ffmpeg7" is looked up on PATH; anything with a separator is a path. */
function absoluteBinary(value: string, tool: FfmpegTool, env: NodeJS.ProcessEnv): string {
  if (value.includes('/') || value.includes(sep)) return resolve(value);
  return pathCandidates(tool, env, value)[0]?.path ?? resolve(value);
}

/** Optional npm binaries; require() throws MODULE_NOT_FOUND when npm skipped them (no download offline). */
function npmCandidates(tool: FfmpegTool, tried: string[]): Candidate[] {
  const name = tool === 'ffmpeg' ? 'ffmpeg-static' : '@ffprobe-installer/ffprobe';
  let exported: unknown;
  try {
    exported = requireFromHere(name);
  } catch {
    tried.push(`${name}: not installed`);
    return [];
  }
  // ffmpeg-static exports the path (or null on unsupported platforms); @ffprobe-installer exports { path }.
  const path = typeof exported === 'string' ? exported : (exported as { path?: unknown } | null)?.path;
  if (typeof path !== 'string') {
    tried.push(`${name}: installed but exports no binary path`);
    return [];
  }
  return [{ path, source: tool === 'ffmpeg' ? 'npm:ffmpeg-static' : 'npm:@ffprobe-installer/ffprobe', label: `${name} (${path})` }];
}

/** Every match on PATH, in order, searched without a shell. */
function pathCandidates(tool: FfmpegTool, env: NodeJS.ProcessEnv, name: string = tool): Candidate[] {
  const file = process.platform === 'win32' && !name.endsWith('.exe') ? `${name}.exe` : name;
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter((dir) => dir !== '');
  const found = dirs.map((dir) => resolve(dir, file)).filter((path) => isFile(path));
  return [...new Set(found)].map((path) => ({ path, source: 'PATH', label: `${path} (on PATH)` }));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Returns the resolved binary, or a sentence saying why this candidate cannot be used. */
async function checkCandidate(tool: FfmpegTool, candidate: Candidate) {
  if (!existsSync(candidate.path)) return `${candidate.path} does not exist`;
  if (!isFile(candidate.path)) return `${candidate.path} is not a file`;
  let probe: BinaryProbe;
  try {
    probe = await probeBinary(tool, candidate.path);
  } catch (error) {
    return `running \`${candidate.path} -version\` failed: ${(error as Error).message.split('\n')[0]}`;
  }
  const version = new RegExp(`^${tool} version (\\S+)`, 'm').exec(probe.banner)?.[1];
  if (version === undefined) {
    return `${candidate.path} does not look like ${tool} (\`-version\` printed "${probe.banner.split('\n')[0] ?? ''}")`;
  }
  const problems = tool === 'ffmpeg' ? ffmpegProblems(version, probe) : [];
  if (problems.length > 0) return `${candidate.path} is ffmpeg ${version}: ${problems.join('; ')}`;
  return { binary: { path: candidate.path, version, source: candidate.source }, probe };
}

/** Version at least 4.3 plus every required filter and encoder. */
function ffmpegProblems(version: string, probe: BinaryProbe): string[] {
  const problems: string[] = [];
  const release = /^n?(\d+)\.(\d+)/.exec(version);
  const avfilter = /^libavfilter\s+(\d+)\.\s*(\d+)\./m.exec(probe.banner);
  const [major, minor, minimum] = release
    ? [Number(release[1]), Number(release[2]), MIN_VERSION]
    : [Number(avfilter?.[1] ?? Number.NaN), Number(avfilter?.[2] ?? Number.NaN), MIN_LIBAVFILTER];
  if (major < minimum[0] || (major === minimum[0] && minor < minimum[1])) {
    problems.push(`older than ${MIN_VERSION.join('.')}, the first release with the xfade filter`);
  }
  const missingFilters = REQUIRED_FILTERS.filter((name) => !probe.names.has(name));
  if (missingFilters.length > 0) problems.push(`missing filters ${missingFilters.join(', ')}`);
  const missingEncoders = REQUIRED_ENCODERS.filter((name) => !probe.names.has(name));
  if (missingEncoders.length > 0) problems.push(`missing encoders ${missingEncoders.join(', ')}`);
  return problems;
}

/** Runs `-version` (and for ffmpeg `-filters`, `-encoders`) once per path; failed runs are not cached. */
function probeBinary(tool: FfmpegTool, path: string): Promise<BinaryProbe> {
  const key = `${tool}:${path}`;
  const cached = probeCache.get(key);
  if (cached) return cached;
  const run = (flag: string) =>
    spawnTool(path, ['-hide_banner', flag], { timeoutMs: PROBE_TIMEOUT_MS }).then((output) => output.stdout);
  const listings = tool === 'ffmpeg' ? [run('-filters'), run('-encoders')] : [];
  const probe = Promise.all([run('-version'), ...listings]).then(([banner = '', ...lists]) => ({
    banner,
    // Listing lines look like " .S. xfade  VV->V  Cross fade…" and " V....D libx264  …": the name is token 2.
    names: new Set(lists.flatMap((list) => list.split('\n').map((line) => line.trim().split(/\s+/)[1] ?? ''))),
  }));
  probeCache.set(key, probe);
  probe.catch(() => probeCache.delete(key));
  return probe;
}
