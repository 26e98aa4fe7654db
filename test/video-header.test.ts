// MP4/MOV headers (src/assets/video-header.ts) on real files made with ffmpeg: duration and size as ffprobe
// reads them, with the moov at the start or the end, 2 s and 31 s, QuickTime and 64-bit boxes, a rotation matrix;
// a few hundred bytes read whatever the file's size; truncated and damaged files give an error, never a throw;
// a PNG or an audio-only MP4 named .mp4 is not a video.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAssetInfo } from '../src/assets/read-asset-info.js';
import { parseVideoHeader, type ByteReader, type VideoHeaderResult } from '../src/assets/video-header.js';

const run = promisify(execFile);
const FFMPEG = process.env.STORYBOARD_TEST_FFMPEG ?? 'ffmpeg';
const FFPROBE = process.env.STORYBOARD_TEST_FFPROBE ?? 'ffprobe';

const video = (seconds: number, size = '320x240', rate = 30): string[] => ['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${rate}:duration=${seconds}`];
const tone = (seconds: number): string[] => ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`];
const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

/** File name → ffmpeg arguments. */
const RECIPES: Record<string, string[]> = {
  'moov-end.mp4': [...video(2), ...tone(2), ...x264, '-c:a', 'aac', '-shortest'],
  'faststart.mp4': [...video(2), ...tone(2), ...x264, '-c:a', 'aac', '-shortest', '-movflags', '+faststart'],
  'long.mp4': [...video(31, '160x120', 10), ...x264],
  'portrait.mov': [...video(3, '240x426'), ...x264, '-f', 'mov'],
  'sound-only.mp4': [...tone(2), '-c:a', 'aac'],
  'picture.png': [...video(1), '-frames:v', '1'],
};

let dir = '';
const path = (name: string): string => join(dir, name);

/** What ffprobe says: container duration, first video stream size, major brand. */
async function probe(file: string): Promise<{ duration: number; width: number; height: number; brand: string }> {
  const { stdout } = await run(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'format=duration:format_tags=major_brand:stream=width,height', '-of', 'json', file]);
  const json = JSON.parse(stdout) as { format: { duration: string; tags?: { major_brand?: string } }; streams: { width: number; height: number }[] };
  const stream = json.streams[0] ?? { width: 0, height: 0 };
  return { duration: Number(json.format.duration), width: stream.width, height: stream.height, brand: json.format.tags?.major_brand ?? '' };
}

/** A reader over a file's bytes that counts what it is asked for. */
function countingReader(bytes: Uint8Array): { read: ByteReader; reads: () => number; bytesRead: () => number } {
  let reads = 0;
  let total = 0;
  return {
    read: async (position, length) => {
      reads++;
      const chunk = bytes.subarray(position, Math.min(bytes.length, position + length));
      total += chunk.length;
      return chunk;
    },
    reads: () => reads,
    bytesRead: () => total,
  };
}

async function header(bytes: Uint8Array): Promise<VideoHeaderResult | undefined> {
  return parseVideoHeader(countingReader(bytes).read, bytes.length);
}

/** The first box of `type` at the top level: [offset, size]. */
function topBox(bytes: Uint8Array, type: string): [number, number] {
  const view = Buffer.from(bytes);
  for (let offset = 0; offset + 8 <= view.length;) {
    const size = view.readUInt32BE(offset);
    if (view.toString('latin1', offset + 4, offset + 8) === type) return [offset, size];
    offset += size;
  }
  throw new Error(`no ${type} box`);
}

beforeAll(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'video-header-'));
  await Promise.all(Object.entries(RECIPES).map(([name, args]) => run(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args, path(name)])));
});

afterAll(async () => {
  if (dir !== '') await fs.rm(dir, { recursive: true, force: true });
});

describe('video headers of real files', () => {
  it.each(['moov-end.mp4', 'faststart.mp4', 'long.mp4', 'portrait.mov'])('%s: duration, size and container as ffprobe reads them', async (name) => {
    const info = await readAssetInfo(path(name));
    const expected = await probe(path(name));
    expect(info.error).toBeUndefined();
    expect(info.video?.duration).toBeCloseTo(expected.duration, 3);
    expect(info.video).toMatchObject({ width: expected.width, height: expected.height, format: name.endsWith('.mov') ? 'mov' : 'mp4' });
    expect(info.bytes).toBe((await fs.stat(path(name))).size);
  });

  it('tells 2 s from 31 s (the reference-video limits are 1–30 s)', async () => {
    expect((await readAssetInfo(path('faststart.mp4'))).video?.duration).toBeCloseTo(2, 1);
    expect((await readAssetInfo(path('long.mp4'))).video?.duration).toBeCloseTo(31, 1);
  });

  it('reads a few hundred bytes in small reads, with the moov at the end as at the start', async () => {
    for (const name of ['moov-end.mp4', 'faststart.mp4', 'long.mp4']) {
      const bytes = new Uint8Array(await fs.readFile(path(name)));
      const reader = countingReader(bytes);
      expect(await parseVideoHeader(reader.read, bytes.length)).toHaveProperty('video');
      expect(reader.bytesRead(), name).toBeLessThan(1500);
      expect(reader.reads(), name).toBeLessThan(40);
      expect(bytes.length).toBeGreaterThan(30_000);
    }
    // the moov really is at the end of one and at the start of the other
    const end = new Uint8Array(await fs.readFile(path('moov-end.mp4')));
    expect(topBox(end, 'moov')[0]).toBeGreaterThan(topBox(end, 'mdat')[0]);
    const start = new Uint8Array(await fs.readFile(path('faststart.mp4')));
    expect(topBox(start, 'moov')[0]).toBeLessThan(topBox(start, 'mdat')[0]);
  });

  it('follows a 64-bit box size (as files over 4 GB have), the way ffprobe does', async () => {
    // ffmpeg writes an 8-byte `free` box before mdat to make room for this very header.
    const bytes = new Uint8Array(await fs.readFile(path('moov-end.mp4')));
    const [freeAt, freeSize] = topBox(bytes, 'free');
    const [mdatAt, mdatSize] = topBox(bytes, 'mdat');
    expect([freeSize, mdatAt]).toEqual([8, freeAt + 8]);
    const large = Buffer.from(bytes);
    large.writeUInt32BE(1, freeAt);
    large.write('mdat', freeAt + 4, 'latin1');
    large.writeUInt32BE(0, freeAt + 8);
    large.writeUInt32BE(mdatSize + 8, freeAt + 12);
    await fs.writeFile(path('large-box.mp4'), large);
    const expected = await probe(path('large-box.mp4'));
    const info = await readAssetInfo(path('large-box.mp4'));
    expect(info.video).toMatchObject({ width: expected.width, height: expected.height });
    expect(info.video?.duration).toBeCloseTo(expected.duration, 3);
  });

  it('swaps width and height when the track is turned by 90°', async () => {
    const bytes = Buffer.from(await fs.readFile(path('faststart.mp4')));
    const tkhd = bytes.indexOf('tkhd', 0, 'latin1');
    expect(bytes[tkhd + 4]).toBe(0); // version 0: the matrix starts 40 bytes into the body
    const matrix = tkhd + 4 + 40;
    bytes.writeInt32BE(0, matrix);
    bytes.writeInt32BE(0x10000, matrix + 4);
    bytes.writeInt32BE(-0x10000, matrix + 12);
    bytes.writeInt32BE(0, matrix + 16);
    await fs.writeFile(path('turned.mp4'), bytes);
    const { stdout } = await run(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_streams', path('turned.mp4')]);
    expect(stdout).toMatch(/rotation=-?90/);
    expect((await readAssetInfo(path('turned.mp4'))).video).toMatchObject({ width: 240, height: 320 });
  });
});

describe('what is not a (whole) video', () => {
  it('a truncated file: a clear error naming the cut-short box, not a throw', async () => {
    for (const name of ['moov-end.mp4', 'faststart.mp4']) {
      const bytes = await fs.readFile(path(name));
      await fs.writeFile(path(`cut-${name}`), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const info = await readAssetInfo(path(`cut-${name}`));
      expect(info.exists).toBe(true);
      expect(info.video).toBeUndefined();
      expect(info.error).toMatch(/^not a readable MP4\/MOV video: the `mdat` box at byte \d+ needs \d+ bytes but only \d+ are there: the file is truncated$/);
    }
  });

  it('any cut or damaged header gives a video or an error, never a throw', async () => {
    const bytes = new Uint8Array(await fs.readFile(path('faststart.mp4')));
    const [moovAt, moovSize] = topBox(bytes, 'moov');
    const cuts = [0, 4, 7, 8, 11, 12, 31, 32, 39, 40, moovAt + 100, moovAt + moovSize - 1, moovAt + moovSize, bytes.length - 1];
    for (const cut of cuts) {
      const result = await header(bytes.subarray(0, cut));
      if (cut < 8) expect(result, `cut at ${cut}`).toBeUndefined(); // not even a box header: not an MP4
      else expect(result, `cut at ${cut}`).toHaveProperty('error');
    }
    // every byte of the moov's first 600 set to 0xff in turn: some headers still read, the rest say why
    let errors = 0;
    for (let i = moovAt; i < moovAt + 600; i += 3) {
      const damaged = bytes.slice();
      damaged[i] = 0xff;
      const result = await header(damaged);
      if (result && 'error' in result) errors++;
    }
    expect(errors).toBeGreaterThan(0);
  });

  it('a file with no moov says so', async () => {
    const bytes = new Uint8Array(await fs.readFile(path('moov-end.mp4')));
    const [moovAt] = topBox(bytes, 'moov');
    const noMoov = Buffer.from(bytes.subarray(0, moovAt + 8));
    noMoov.write('free', moovAt + 4, 'latin1');
    noMoov.writeUInt32BE(8, moovAt);
    expect(await header(noMoov)).toEqual({ error: expect.stringMatching(/no `moov` box/) });
  });

  it('a PNG named .mp4 is an image, not a video, and not an error', async () => {
    await fs.copyFile(path('picture.png'), path('picture.mp4'));
    const info = await readAssetInfo(path('picture.mp4'));
    expect(info.image?.format).toBe('png');
    expect(info.video).toBeUndefined();
    expect(info.error).toBeUndefined();
    expect(await header(new Uint8Array(await fs.readFile(path('picture.png'))))).toBeUndefined();
  });

  it('an MP4 holding only sound is audio, not a video, and not an error', async () => {
    const info = await readAssetInfo(path('sound-only.mp4'));
    expect(info.audio?.format).toBe('mp4');
    expect(info.video).toBeUndefined();
    expect(info.error).toBeUndefined();
  });

  it('only .mp4 and .mov files are read as videos (any case)', async () => {
    await fs.copyFile(path('portrait.mov'), path('upper.MOV'));
    await fs.copyFile(path('faststart.mp4'), path('clip.m4v'));
    expect((await readAssetInfo(path('upper.MOV'))).video).toMatchObject({ format: 'mov', width: 240, height: 426 });
    expect((await readAssetInfo(path('clip.m4v'))).video).toBeUndefined();
  });
});
