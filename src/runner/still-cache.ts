// The content-addressed still cache (`stills/<key>.png` + its record): stills are paid output like clips, kept
// sealed (size + sha256 recorded at write, checked before every use) and written atomically.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { repair, type OnRepair } from '../diagnostics/repair.js';
import { commitFile, writeFileAtomic } from '../io/atomic-write.js';
import { checkSeal, isFileSeal, sealFile } from '../io/file-seal.js';
import { sweepStaleTemps } from '../io/sweep-temps.js';

/** What the cache keeps about a still besides its PNG: its seal and pixel size, and where it came from. */
export interface StillEntryMeta {
  readonly key: string;
  readonly still: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly width: number;
  readonly height: number;
  readonly backend: string;
  readonly taskId?: string;
  readonly actualPrompt?: string;
  readonly billedImages?: number;
}

/** A cached still: its PNG and record. */
export interface StillEntry {
  readonly file: string;
  readonly meta: StillEntryMeta;
}

function isStillMeta(value: unknown, key: string): value is StillEntryMeta {
  if (!isFileSeal(value)) return false;
  const v = value as unknown as Record<string, unknown>;
  const positive = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n > 0;
  return v.key === key && typeof v.still === 'string' && positive(v.width) && positive(v.height) && typeof v.backend === 'string';
}

/** `stills/<key>.png` with `stills/<key>.json`; an entry is used only when its PNG is the one recorded. */
export class StillCache {
  constructor(readonly dir: string) {}

  /** Creates the folder and removes temp files of killed runs; returns the paths removed. */
  async init(): Promise<string[]> {
    await mkdir(this.dir, { recursive: true });
    return sweepStaleTemps(this.dir);
  }

  /** The PNG path of a key. */
  path(key: string): string {
    return join(this.dir, `${key}.png`);
  }

  private metaPath(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  private async readMeta(key: string): Promise<unknown> {
    try {
      return JSON.parse(await readFile(this.metaPath(key), 'utf8')) as unknown;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : null;
    }
  }

  /** The record of a key when its PNG is intact; read-only, for planning. */
  async intact(key: string): Promise<StillEntryMeta | undefined> {
    const meta = await this.readMeta(key);
    if (!isStillMeta(meta, key)) return undefined;
    return (await checkSeal(this.path(key), meta)) ? undefined : meta;
  }

  /** A verified entry, or undefined; a damaged one is discarded (so it is made again) and `onRepair` hears which. */
  async get(key: string, onRepair?: OnRepair): Promise<StillEntry | undefined> {
    const meta = await this.readMeta(key);
    if (meta === undefined) return undefined;
    const file = this.path(key);
    const problem = !isStillMeta(meta, key)
      ? { still: undefined, at: this.metaPath(key), message: `the record of cached still ${key} cannot be read` }
      : await checkSeal(file, meta).then((broken) => broken && { still: meta.still, at: file, message: `cached still \`${meta.still}\` (${file}) ${broken.message}` });
    if (!problem) return { file, meta: meta as StillEntryMeta };
    onRepair?.(repair('cache-clip-damaged', problem.at, `${problem.message}: it is discarded and the still is made again (a paid image on a paid backend)`, problem.still));
    await this.discard(key);
    return undefined;
  }

  /** Moves a made still into the cache and records its seal and size. */
  async put(key: string, tmpFile: string, meta: Omit<StillEntryMeta, 'key' | 'sha256' | 'bytes'>): Promise<StillEntry> {
    const seal = await sealFile(tmpFile);
    const full: StillEntryMeta = { ...meta, key, ...seal };
    await commitFile(tmpFile, this.path(key));
    await writeFileAtomic(this.metaPath(key), JSON.stringify(full, null, 2) + '\n');
    return { file: this.path(key), meta: full };
  }

  /** Removes an entry. */
  async discard(key: string): Promise<void> {
    await Promise.all([rm(this.path(key), { force: true }), rm(this.metaPath(key), { force: true })]);
  }
}
