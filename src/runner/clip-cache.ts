// The content-addressed clip cache (`clips/<key>.mp4` + metadata, last frames), written atomically and verified
// on read.
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { probeMedia, type MediaInfo } from '../media/ffmpeg.js';
import type { FfmpegTools } from '../media/ffmpeg-binaries.js';
import { commitFile, writeFileAtomic } from '../io/atomic-write.js';
import { sha256File } from '../io/hash.js';

/** What the cache keeps about a clip besides its MP4. */
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

/**
 * Content-addressed clip cache: `clips/<key>.mp4` with `clips/<key>.json`, `frames/<key>.last.png`.
 * Writes are atomic (temp + rename); entries are verified on read (hash, then ffprobe) and dropped if corrupt.
 */
export class ClipCache {
  readonly clipsDir: string;
  readonly framesDir: string;
  readonly tmpDir: string;

  constructor(readonly dir: string, private readonly ffmpeg: FfmpegTools) {
    this.clipsDir = join(dir, 'clips');
    this.framesDir = join(dir, 'frames');
    this.tmpDir = join(dir, 'tmp');
  }

  /** Creates the cache's folders. */
  async init(): Promise<void> {
    await Promise.all([this.clipsDir, this.framesDir, this.tmpDir].map((d) => mkdir(d, { recursive: true })));
  }

  /** The MP4 path of a key. */
  clipPath(key: string): string {
    return join(this.clipsDir, `${key}.mp4`);
  }

  /** The last-frame PNG path of a key. */
  lastFramePath(key: string): string {
    return join(this.framesDir, `${key}.last.png`);
  }

  /** Metadata of a key without verifying the clip (for planning); undefined when absent. */
  async peek(key: string): Promise<CacheEntryMeta | undefined> {
    try {
      return JSON.parse(await readFile(join(this.clipsDir, `${key}.json`), 'utf8')) as CacheEntryMeta;
    } catch {
      return undefined;
    }
  }

  /** A verified entry, or undefined (a corrupt entry is removed so it is rendered again). */
  async get(key: string): Promise<CacheEntry | undefined> {
    const meta = await this.peek(key);
    const file = this.clipPath(key);
    if (!meta) return undefined;
    const ok = await this.verify(file, meta);
    if (!ok) {
      await this.discard(key);
      return undefined;
    }
    return { file, meta };
  }

  /** Moves a rendered clip into the cache and records its metadata. */
  async put(key: string, tmpFile: string, meta: Omit<CacheEntryMeta, 'key' | 'sha256' | 'bytes'>): Promise<CacheEntry> {
    const sha256 = await sha256File(tmpFile);
    const bytes = (await stat(tmpFile)).size;
    const full: CacheEntryMeta = { ...meta, key, sha256, bytes };
    await commitFile(tmpFile, this.clipPath(key));
    await writeFileAtomic(join(this.clipsDir, `${key}.json`), JSON.stringify(full, null, 2) + '\n');
    return { file: this.clipPath(key), meta: full };
  }

  /** Removes an entry and its last frame. */
  async discard(key: string): Promise<void> {
    await Promise.all([this.clipPath(key), join(this.clipsDir, `${key}.json`), this.lastFramePath(key)].map((f) => rm(f, { force: true })));
  }

  private async verify(file: string, meta: CacheEntryMeta): Promise<boolean> {
    try {
      const s = await stat(file);
      if (s.size !== meta.bytes || (await sha256File(file)) !== meta.sha256) return false;
      const info: MediaInfo = await probeMedia(this.ffmpeg, file);
      return info.streams.some((st) => st.codecType === 'video');
    } catch {
      return false;
    }
  }
}
