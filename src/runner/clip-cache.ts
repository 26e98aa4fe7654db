// The content-addressed clip cache (`clips/<key>.mp4` + metadata, last or sharpest last frames, carried tails), written atomically;
// every entry is checked against the size and sha256 recorded when it was written before it is used again.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { repair, type OnRepair } from '../diagnostics/repair.js';
import { cutTail } from '../media/cut-tail.js';
import { extractLastFrame } from '../media/ffmpeg.js';
import { extractFrameFromEnd } from '../media/extract-frame.js';
import { sharpestOfLast } from '../media/sharpness.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import { commitFile, writeFileAtomic } from '../io/atomic-write.js';
import { checkSeal, isFileSeal, sealFile, type FileSeal } from '../io/file-seal.js';
import { sweepStaleTemps } from '../io/sweep-temps.js';
import { OWNER_TAG } from '../io/temp-owner.js';
import { StillCache } from './still-cache.js';
import { isSeamFrameRecord, roundScore, type SeamFrameChoice, type SeamFrameRecord } from './seam-frame.js';

/** What the cache keeps about a clip besides its MP4: its seal (`bytes`, `sha256`) and stream facts. */
export interface CacheEntryMeta {
  readonly key: string;
  readonly clip: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly duration: number;
  readonly width: number;
  readonly height: number;
  readonly audio: boolean;
  readonly backend: string;
  readonly taskId?: string;
  readonly actualPrompt?: string;
  readonly billedSeconds?: number;
}

/** A cached clip: its file, metadata and last-frame path. */
export interface CacheEntry {
  readonly file: string;
  readonly meta: CacheEntryMeta;
}

/** What is recorded next to an extracted last frame: the clip it came from and the PNG's seal. */
interface FrameRecord extends FileSeal {
  readonly clipSha256: string;
}

/** Options of {@link ClipCache.lastFrame}. */
interface LastFrameOptions {
  readonly onRepair?: OnRepair;
  readonly signal?: AbortSignal;
}

/** Whether metadata read back from disk has the fields every use relies on (the seal and stream facts). */
function isEntryMeta(value: unknown, key: string): value is CacheEntryMeta {
  if (!isFileSeal(value)) return false;
  const v = value as unknown as Record<string, unknown>;
  const positive = (n: unknown): boolean => typeof n === 'number' && Number.isFinite(n) && n > 0;
  return v.key === key && typeof v.clip === 'string' && positive(v.duration) && positive(v.width) && positive(v.height) && typeof v.audio === 'boolean' && typeof v.backend === 'string';
}

/** JSON of a file: `absent` when there is no file, `unreadable` when it is not JSON. */
async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return ABSENT;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return UNREADABLE;
  }
}
const ABSENT = Symbol('absent');
/** The record beside a cut tail. */
const tailRecordPath = (mp4: string): string => `${mp4.slice(0, -'.mp4'.length)}.json`;
/** The record beside a sharpest last frame. */
const sharpestRecordPath = (png: string): string => `${png.slice(0, -'.png'.length)}.json`;
/** Tail lengths a clip can have (no clip is longer than 15 s). */
const TAIL_SECONDS = Array.from({ length: 15 }, (_, i) => i + 1);
const UNREADABLE = Symbol('unreadable');

/**
 * Content-addressed clip cache: `clips/<key>.mp4` with `clips/<key>.json`, `frames/<key>.last.png` with
 * `frames/<key>.last.json`, the sharpest of the last frames `frames/<key>.sharpest.png` with `.json`, carried tails `frames/<key>.tail<N>.mp4` with `.json`. Writes are atomic (temp + rename). A clip is used only when its size and sha256 are
 * those recorded when it was made (no decoding: its stream facts were recorded then too); a damaged clip is
 * discarded, with a warning naming it, so that it is rendered again. A last frame or tail is checked the same way and
 * made again when damaged.
 */
export class ClipCache {
  readonly clipsDir: string;
  readonly framesDir: string;
  /** This process's scratch folder (`tmp/run-<owner>`): a killed run's is swept by the next `init`. */
  readonly tmpDir: string;
  /** Generated stills (`stills/<key>.png`), sealed like clips. */
  readonly stills: StillCache;

  constructor(readonly dir: string, private readonly ffmpeg: FfmpegTools) {
    this.clipsDir = join(dir, 'clips');
    this.framesDir = join(dir, 'frames');
    this.tmpDir = join(dir, 'tmp', `run-${OWNER_TAG}`);
    this.stills = new StillCache(join(dir, 'stills'));
  }

  /** Creates the cache's folders and removes what killed runs left in them; returns the paths removed. */
  async init(): Promise<string[]> {
    await Promise.all([this.clipsDir, this.framesDir, this.tmpDir].map((d) => mkdir(d, { recursive: true })));
    const swept = await Promise.all([
      sweepStaleTemps(join(this.dir, 'tmp'), { scratch: true }), sweepStaleTemps(this.clipsDir), sweepStaleTemps(this.framesDir), this.stills.init(),
    ]);
    return swept.flat();
  }

  /** The MP4 path of a key. */
  clipPath(key: string): string {
    return join(this.clipsDir, `${key}.mp4`);
  }

  /** The MP4 of a key's last `seconds` (clip continuation's `first_clip`). */
  tailPath(key: string, seconds: number): string {
    return join(this.framesDir, `${key}.tail${seconds}.mp4`);
  }

  /** The last-frame PNG path of a key. */
  lastFramePath(key: string): string {
    return join(this.framesDir, `${key}.last.png`);
  }

  /** The PNG of the sharpest of a key's last frames (`seam_frame: sharpest`). */
  sharpestFramePath(key: string): string {
    return join(this.framesDir, `${key}.sharpest.png`);
  }

  private metaPath(key: string): string {
    return join(this.clipsDir, `${key}.json`);
  }

  private frameRecordPath(key: string): string {
    return join(this.framesDir, `${key}.last.json`);
  }

  /** Metadata of a key without verifying the clip (for planning); undefined when absent or unreadable. */
  async peek(key: string): Promise<CacheEntryMeta | undefined> {
    const meta = await readJson(this.metaPath(key));
    return isEntryMeta(meta, key) ? meta : undefined;
  }

  /** The entry's record when its clip is intact (size and sha256 as recorded); read-only, for planning. */
  async intact(key: string): Promise<CacheEntryMeta | undefined> {
    const meta = await this.peek(key);
    return meta && !(await checkSeal(this.clipPath(key), meta)) ? meta : undefined;
  }

  /**
   * A verified entry, or undefined. The clip's size and sha256 must be those recorded when it was made; when
   * they are not (or its record cannot be read) the entry is discarded and `onRepair` hears which clip and file,
   * so that it is rendered again. A clip without a record (a run killed between the two writes) is not cached.
   */
  async get(key: string, onRepair?: OnRepair): Promise<CacheEntry | undefined> {
    const file = this.clipPath(key);
    const meta = await readJson(this.metaPath(key));
    if (meta === ABSENT) return undefined;
    const problem = !isEntryMeta(meta, key)
      ? { clip: undefined, at: this.metaPath(key), message: `the record of cached clip ${key} cannot be read` }
      : await checkSeal(file, meta).then((broken) => broken && { clip: meta.clip, at: file, message: `cached clip \`${meta.clip}\` (${file}) ${broken.message}` });
    if (!problem) return { file, meta: meta as CacheEntryMeta };
    onRepair?.(repair('cache-clip-damaged', problem.at, `${problem.message}: it is discarded and the clip is rendered again (a paid render on a paid backend)`, problem.clip));
    await this.discard(key);
    return undefined;
  }

  /** Moves a rendered clip into the cache and records its seal and stream facts; an older last frame is dropped. */
  async put(key: string, tmpFile: string, meta: Omit<CacheEntryMeta, 'key' | 'sha256' | 'bytes'>): Promise<CacheEntry> {
    const seal = await sealFile(tmpFile);
    const full: CacheEntryMeta = { ...meta, key, ...seal };
    await commitFile(tmpFile, this.clipPath(key));
    await writeFileAtomic(this.metaPath(key), JSON.stringify(full, null, 2) + '\n');
    await this.dropDerived(key);
    return { file: this.clipPath(key), meta: full };
  }

  /**
   * The entry's last frame as a PNG, checked against what was recorded when it was extracted (this clip's hash,
   * the PNG's size and sha256), else extracted again: quietly when there is none or it belongs to an earlier
   * render of the key, with a warning when its bytes changed.
   */
  async lastFrame(entry: CacheEntry, options: LastFrameOptions = {}): Promise<string> {
    const { key, clip, sha256 } = entry.meta;
    const png = this.lastFramePath(key);
    const record = await readJson(this.frameRecordPath(key));
    if (isFileSeal(record) && (record as FrameRecord).clipSha256 === sha256) {
      const broken = await checkSeal(png, record);
      if (!broken) return png;
      options.onRepair?.(repair('cache-entry-damaged', png, `the cached last frame of clip \`${clip}\` (${png}) ${broken.message}: it is extracted again from the clip`, clip));
    } else if (record === UNREADABLE) {
      options.onRepair?.(repair('cache-entry-damaged', this.frameRecordPath(key), `the record of the cached last frame of clip \`${clip}\` cannot be read: the frame is extracted again from the clip`, clip));
    }
    await rm(this.frameRecordPath(key), { force: true });
    await rm(png, { force: true });
    await extractLastFrame(this.ffmpeg, entry.file, png, options.signal ? { signal: options.signal } : {});
    const frame: FrameRecord = { clipSha256: sha256, ...(await sealFile(png)) };
    await writeFileAtomic(this.frameRecordPath(key), JSON.stringify(frame) + '\n');
    return png;
  }

  /**
   * The entry's last `seconds` as an MP4 (`frames/<key>.tail<N>.mp4`), cut once and checked like the last frame
   * against what was recorded when it was cut (this clip's hash, the MP4's size and sha256), else cut again.
   */
  async tail(entry: CacheEntry, seconds: number, options: LastFrameOptions & { readonly maxBytes?: number } = {}): Promise<string> {
    const { key, clip, sha256 } = entry.meta;
    const mp4 = this.tailPath(key, seconds);
    const recordPath = tailRecordPath(mp4);
    const record = await readJson(recordPath);
    // a tail cut for a receiver that took larger files is cut again (under the limit) rather than refused by the service
    if (isFileSeal(record) && (record as FrameRecord).clipSha256 === sha256 && record.bytes <= (options.maxBytes ?? Infinity)) {
      const broken = await checkSeal(mp4, record);
      if (!broken) return mp4;
      options.onRepair?.(repair('cache-entry-damaged', mp4, `the cached last ${seconds} s of clip \`${clip}\` (${mp4}) ${broken.message}: they are cut again from the clip`, clip));
    } else if (record === UNREADABLE) {
      options.onRepair?.(repair('cache-entry-damaged', recordPath, `the record of the cached last ${seconds} s of clip \`${clip}\` cannot be read: they are cut again from the clip`, clip));
    }
    // the record first: a tail without a record is never used
    await rm(recordPath, { force: true });
    await cutTail(this.ffmpeg, entry.file, mp4, seconds, { ...(options.signal ? { signal: options.signal } : {}), ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }) });
    const cut: FrameRecord = { clipSha256: sha256, ...(await sealFile(mp4)) };
    await writeFileAtomic(recordPath, JSON.stringify(cut) + '\n');
    return mp4;
  }

  /**
   * The sharpest of the entry's last `of` frames as a PNG and which frame it is, measured and extracted once and
   * checked like the last frame against what was recorded then (this clip's hash, the PNG's seal), else made again.
   */
  async sharpestFrame(entry: CacheEntry, of: number, options: LastFrameOptions = {}): Promise<{ png: string; choice: SeamFrameChoice }> {
    const { key, clip, sha256 } = entry.meta;
    const png = this.sharpestFramePath(key);
    const recordPath = sharpestRecordPath(png);
    const record = await readJson(recordPath);
    if (isSeamFrameRecord(record) && record.clipSha256 === sha256 && record.of === of) {
      const broken = await checkSeal(png, record);
      if (!broken) return { png, choice: record.choice };
      options.onRepair?.(repair('cache-entry-damaged', png, `the cached sharpest last frame of clip \`${clip}\` (${png}) ${broken.message}: it is extracted again from the clip`, clip));
    } else if (record === UNREADABLE || (record !== ABSENT && !isSeamFrameRecord(record))) {
      options.onRepair?.(repair('cache-entry-damaged', recordPath, `the record of the cached sharpest last frame of clip \`${clip}\` cannot be read: it is measured again on the clip`, clip));
    }
    await rm(recordPath, { force: true });
    await rm(png, { force: true });
    const o = options.signal ? { signal: options.signal } : {};
    const found = await sharpestOfLast(this.ffmpeg, entry.file, of, o);
    await extractFrameFromEnd(this.ffmpeg, entry.file, found.fromEnd, png, o);
    const choice: SeamFrameChoice = {
      fromEnd: found.fromEnd, ...(found.index === undefined ? {} : { index: found.index }), sharpness: roundScore(found.score), lastSharpness: roundScore(found.scores.at(-1) ?? 0),
    };
    const made: SeamFrameRecord = { clipSha256: sha256, of, choice, ...(await sealFile(png)) };
    await writeFileAtomic(recordPath, JSON.stringify(made) + '\n');
    return { png, choice };
  }

  /** Removes an entry, its last frame and its cut tails. */
  async discard(key: string): Promise<void> {
    await Promise.all([rm(this.clipPath(key), { force: true }), rm(this.metaPath(key), { force: true }), this.dropDerived(key)]);
  }

  /** Removes the key's last frame and cut tails (made from an earlier render of the key). */
  private async dropDerived(key: string): Promise<void> {
    // the records first: a frame or tail without a record is never used (nor one recorded for another render of the
    // key: the record names the clip's hash, so this is tidiness, not safety); no listing of a folder of 100,000 files
    const tails = TAIL_SECONDS.map((s) => this.tailPath(key, s));
    const sharpest = this.sharpestFramePath(key);
    await Promise.all([this.frameRecordPath(key), ...tails.map(tailRecordPath), sharpestRecordPath(sharpest)].map((f) => rm(f, { force: true })));
    await Promise.all([this.lastFramePath(key), ...tails, sharpest].map((f) => rm(f, { force: true })));
  }
}
