// Remembers temporary `oss://` uploads by content, model and account for their 48 h validity, so a file is
// uploaded once across runs.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../io/atomic-write.js';

/** Temporary uploads live 48 h; reuse one only while at least this much of that is left. */
const UPLOAD_VALIDITY_MS = 48 * 3600_000;
const SAFETY_MARGIN_MS = 6 * 3600_000;

interface Entry {
  readonly url: string;
  readonly uploadedAt: number;
}

/**
 * Remembers `oss://` URLs of uploaded files by content (sha256), model and account for their 48 h validity,
 * in memory and, when a file is given, in a small JSON file next to the runner's cache.
 */
export class UploadCache {
  private entries: Map<string, Entry> | undefined;
  private loading: Promise<Map<string, Entry>> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string | undefined, private readonly now: () => number) {}

  /** The cached URL, if still comfortably valid. */
  async get(key: string): Promise<string | undefined> {
    const entry = (await this.load()).get(key);
    return entry && this.fresh(entry) ? entry.url : undefined;
  }

  async put(key: string, url: string): Promise<void> {
    const entries = await this.load();
    entries.set(key, { url, uploadedAt: this.now() });
    for (const [k, e] of entries) if (!this.fresh(e)) entries.delete(k);
    if (!this.file) return;
    const file = this.file;
    const text = JSON.stringify({ version: 1, uploads: Object.fromEntries(entries) }, null, 1) + '\n';
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFileAtomic(file, text);
    }).catch(() => undefined); // the cache only saves uploads; failing to persist it must not fail a clip
    await this.writing;
  }

  private fresh(entry: Entry): boolean {
    return this.now() - entry.uploadedAt < UPLOAD_VALIDITY_MS - SAFETY_MARGIN_MS;
  }

  private load(): Promise<Map<string, Entry>> {
    if (this.entries) return Promise.resolve(this.entries);
    this.loading ??= this.read().then((m) => (this.entries = m));
    return this.loading;
  }

  private async read(): Promise<Map<string, Entry>> {
    const map = new Map<string, Entry>();
    if (!this.file) return map;
    try {
      const root = JSON.parse(await readFile(this.file, 'utf8')) as { uploads?: Record<string, Partial<Entry>> };
      for (const [k, e] of Object.entries(root.uploads ?? {})) {
        if (typeof e.url === 'string' && e.url.startsWith('oss://') && typeof e.uploadedAt === 'number') map.set(k, { url: e.url, uploadedAt: e.uploadedAt });
      }
    } catch {
      // missing or unreadable: start empty
    }
    return map;
  }
}
