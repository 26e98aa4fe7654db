import { execFile, execFileSync } from 'node:child_process';
import { promises as fs, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIO_HEADER_BYTES, audioHeaderNeedsMore, parseAudioHeader, type AudioHeader } from '../src/assets/audio-header.js';
import { IMAGE_HEADER_BYTES, parseImageHeader, type ImageHeader } from '../src/assets/image-header.js';
import { readAssetInfo } from '../src/assets/read-asset-info.js';

const run = promisify(execFile);
const FFMPEG = process.env.STORYBOARD_TEST_FFMPEG ?? 'ffmpeg';
const encoders = execFileSync(FFMPEG, ['-hide_banner', '-encoders'], { encoding: 'utf8' });
const hasWebp = /\blibwebp\b/.test(encoders);
const hasLame = /\blibmp3lame\b/.test(encoders);

const lavfiVideo = (src: string): string[] => ['-f', 'lavfi', '-i', src, '-frames:v', '1'];
const sine = (rate: number, seconds: number): string[] => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}:duration=${seconds}`];
const testsrc = 'testsrc=size=320x240';
const translucent = `${testsrc}:d=0.04,format=rgba,colorchannelmixer=aa=0.5`;

/** Output file name → ffmpeg arguments (inputs and codec options); null when the encoder is missing here. */
const RECIPES: Record<string, string[] | null> = {
  'rgb24.png': [...lavfiVideo(testsrc), '-pix_fmt', 'rgb24'],
  'rgba.png': [...lavfiVideo(translucent), '-pix_fmt', 'rgba'],
  'pal8.png': [...lavfiVideo('testsrc=size=64x48'), '-pix_fmt', 'pal8'],
  'pal8-trns.png': [...lavfiVideo(translucent), '-vf', 'split[a][b];[a]palettegen[p];[b][p]paletteuse', '-pix_fmt', 'pal8'],
  'baseline.jpg': [...lavfiVideo(testsrc), '-q:v', '3'],
  'bgr24.bmp': [...lavfiVideo(testsrc), '-pix_fmt', 'bgr24'],
  'bgra.bmp': [...lavfiVideo(testsrc), '-pix_fmt', 'bgra'],
  'image.gif': lavfiVideo(testsrc),
  'image.tiff': lavfiVideo(testsrc),
  'lossy.webp': hasWebp ? [...lavfiVideo(testsrc), '-c:v', 'libwebp', '-lossless', '0'] : null,
  'lossy-alpha.webp': hasWebp ? [...lavfiVideo(translucent), '-c:v', 'libwebp', '-lossless', '0'] : null,
  'lossless.webp': hasWebp ? [...lavfiVideo(testsrc), '-c:v', 'libwebp', '-lossless', '1'] : null,
  'lossless-alpha.webp': hasWebp ? [...lavfiVideo(translucent), '-c:v', 'libwebp', '-lossless', '1'] : null,
  's16.wav': [...sine(48000, 2.5), '-c:a', 'pcm_s16le'],
  'f32-rf64.wav': [...sine(44100, 1.5), '-ac', '2', '-c:a', 'pcm_f32le', '-rf64', 'always'],
  'cbr.mp3': hasLame ? [...sine(44100, 3), '-c:a', 'libmp3lame', '-b:a', '128k'] : null,
  'cbr-no-xing.mp3': hasLame ? [...sine(44100, 3), '-c:a', 'libmp3lame', '-b:a', '128k', '-write_xing', '0'] : null,
  'vbr-stereo.mp3': hasLame ? [...sine(48000, 3), '-ac', '2', '-c:a', 'libmp3lame', '-q:a', '4'] : null,
  'vbr-mpeg2.mp3': hasLame ? [...sine(22050, 3), '-c:a', 'libmp3lame', '-q:a', '4'] : null,
  'audio.m4a': [...sine(44100, 1), '-c:a', 'aac'],
  'audio.aac': [...sine(44100, 1), '-c:a', 'aac', '-f', 'adts'],
  'audio.flac': [...sine(44100, 3), '-c:a', 'flac'],
  'audio.ogg': [...sine(48000, 1), '-c:a', 'flac', '-f', 'ogg'],
};

let dir = '';
const files = new Map<string, Uint8Array>();
const bytesOf = (name: string): Uint8Array => files.get(name) ?? expect.unreachable(`fixture ${name} was not generated`);
const image = (name: string): ImageHeader | undefined => parseImageHeader(bytesOf(name).subarray(0, IMAGE_HEADER_BYTES));
const audio = (name: string): AudioHeader | undefined => {
  const bytes = bytesOf(name);
  return parseAudioHeader(bytes.subarray(0, AUDIO_HEADER_BYTES), bytes.length);
};

beforeAll(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'asset-headers-'));
  await Promise.all(Object.entries(RECIPES).map(async ([name, args]) => {
    if (args === null) return;
    await run(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args, join(dir, name)]);
    files.set(name, new Uint8Array(await fs.readFile(join(dir, name))));
  }));
  addCraftedFiles();
});

afterAll(async () => {
  if (dir !== '') await fs.rm(dir, { recursive: true, force: true });
});

/** Derived fixtures ffmpeg cannot produce directly: SOF2, fill bytes, a fake SOF inside EXIF, SOF past the window. */
function addCraftedFiles(): void {
  const jpeg = bytesOf('baseline.jpg');
  const sof = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0);
  const progressive = jpeg.slice();
  progressive[sof + 1] = 0xc2;
  files.set('progressive.jpg', progressive);
  // An APP1 "Exif" segment whose payload holds a decoy SOF0 for 16x16, then fill bytes before the real SOF.
  const decoy = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, 0x03];
  const exifPayload = [...Buffer.from('Exif\0\0'), ...decoy, ...new Array<number>(200).fill(0xff)];
  const app1 = [0xff, 0xe1, (exifPayload.length + 2) >> 8, (exifPayload.length + 2) & 0xff, ...exifPayload];
  files.set('exif.jpg', concat([jpeg.subarray(0, 2), Uint8Array.from(app1), jpeg.subarray(2, sof), Uint8Array.from([0xff, 0xff, 0xff]), jpeg.subarray(sof)]));
  // Two near-maximal APP2 segments push the SOF past IMAGE_HEADER_BYTES.
  const app2 = new Uint8Array(65_535 + 2).fill(0);
  app2.set([0xff, 0xe2, 0xff, 0xff]);
  files.set('late-sof.jpg', concat([jpeg.subarray(0, 2), app2, app2, jpeg.subarray(2)]));
  if (hasLame) files.set('big-id3.mp3', concat([id3Tag(200_000), bytesOf('cbr.mp3')]));
}

/** An empty ID3v2.4 tag of `size` padding bytes, its size in the syncsafe encoding. */
const id3Tag = (size: number): Uint8Array =>
  concat([Uint8Array.from([0x49, 0x44, 0x33, 4, 0, 0, (size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]), new Uint8Array(size)]);

const concat = (parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));

/** MP3 durations must be within 0.1 s: encoder delay and padding, or a CBR estimate, move them slightly. */
const expectNear = (seconds: number | undefined, expected: number): void => expect(Math.abs((seconds ?? NaN) - expected)).toBeLessThan(0.1);

const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number): number[] => [...le16(v & 0xffff), ...le16(v >>> 16)];

/** A BMP file header plus a DIB header of `dibSize` bytes (masks at file offset 54..69), no pixels. */
function bmp(dibSize: number, bitCount: number, compression: number, height: number, masks: number[] = []): Uint8Array {
  const out = new Uint8Array(14 + Math.max(dibSize, 40) + 16);
  out.set([0x42, 0x4d]);
  out.set([...le32(dibSize), ...le32(320), ...le32(height >>> 0), ...le16(1), ...le16(bitCount), ...le32(compression)], 14);
  masks.forEach((m, i) => out.set(le32(m), 54 + 4 * i));
  return out;
}

function riffWebp(chunk: string, data: number[]): Uint8Array {
  return Uint8Array.from([...Buffer.from('RIFF'), ...le32(4 + 8 + data.length), ...Buffer.from(`WEBP${chunk}`), ...le32(data.length), ...data]);
}

const ftyp = (...brands: string[]): Uint8Array =>
  Uint8Array.from([0, 0, 0, 8 + 4 * (brands.length + 1), ...Buffer.from('ftyp'), ...Buffer.from(brands[0] ?? ''), 0, 0, 0, 0, ...Buffer.from(brands.slice(1).join(''))]);

describe('parseImageHeader on ffmpeg output', () => {
  it.each([
    ['rgb24.png', 'png', 320, 240, false], ['rgba.png', 'png', 320, 240, true],
    ['pal8.png', 'png', 64, 48, false], ['pal8-trns.png', 'png', 320, 240, true],
    ['baseline.jpg', 'jpeg', 320, 240, false], ['progressive.jpg', 'jpeg', 320, 240, false], ['exif.jpg', 'jpeg', 320, 240, false],
    // 32-bit BI_RGB: the fourth byte is reserved by the spec but used for alpha by many writers, so unknown.
    ['bgr24.bmp', 'bmp', 320, 240, false], ['bgra.bmp', 'bmp', 320, 240, undefined],
    ['image.gif', 'gif', 320, 240, undefined], ['image.tiff', 'tiff', undefined, undefined, undefined],
  ] as const)('%s', (name, format, width, height, hasAlpha) => {
    expect(image(name)).toEqual({ format, width, height, hasAlpha });
  });

  it.runIf(hasWebp).each([
    ['lossy.webp', false], ['lossy-alpha.webp', true], ['lossless.webp', false], ['lossless-alpha.webp', true],
  ] as const)('%s', (name, hasAlpha) => {
    expect(image(name)).toEqual({ format: 'webp', width: 320, height: 240, hasAlpha });
  });

  it('reports unknown JPEG dimensions when the SOF lies beyond IMAGE_HEADER_BYTES, and finds it in the whole file', () => {
    expect(image('late-sof.jpg')).toEqual({ format: 'jpeg', width: undefined, height: undefined, hasAlpha: false });
    expect(parseImageHeader(bytesOf('late-sof.jpg'))).toMatchObject({ width: 320, height: 240 });
  });

  it('does not take audio for an image', () => {
    for (const name of ['s16.wav', 'audio.m4a', 'audio.flac', ...(hasLame ? ['cbr.mp3'] : [])]) expect(image(name)).toBeUndefined();
  });
});

describe('parseImageHeader on crafted headers', () => {
  it('reads VP8X canvas size and alpha flag, VP8L alpha hint, VP8 14-bit sizes', () => {
    const vp8x = (flags: number): number[] => [flags, 0, 0, 0, ...le32(1919).slice(0, 3), ...le32(1079).slice(0, 3)];
    expect(parseImageHeader(riffWebp('VP8X', vp8x(0x10)))).toEqual({ format: 'webp', width: 1920, height: 1080, hasAlpha: true });
    expect(parseImageHeader(riffWebp('VP8X', vp8x(0x08)))).toMatchObject({ hasAlpha: false });
    const vp8l = (alpha: number): number[] => [0x2f, ...le32(1279 | (719 << 14) | (alpha << 28))];
    expect(parseImageHeader(riffWebp('VP8L', vp8l(1)))).toEqual({ format: 'webp', width: 1280, height: 720, hasAlpha: true });
    expect(parseImageHeader(riffWebp('VP8L', vp8l(0)))).toMatchObject({ hasAlpha: false });
    // The scaling bits (top two) must be masked off.
    const vp8 = [0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(832 | 0x4000), ...le16(480 | 0xc000)];
    expect(parseImageHeader(riffWebp('VP8 ', vp8))).toEqual({ format: 'webp', width: 832, height: 480, hasAlpha: false });
  });

  it('reads BMP alpha masks and top-down heights', () => {
    expect(parseImageHeader(bmp(108, 32, 3, -240, [0xff0000, 0xff00, 0xff, 0xff000000]))).toEqual({ format: 'bmp', width: 320, height: 240, hasAlpha: true });
    expect(parseImageHeader(bmp(124, 32, 3, 240, [0xff0000, 0xff00, 0xff, 0]))).toMatchObject({ hasAlpha: false });
    expect(parseImageHeader(bmp(40, 32, 3, 240, [0xff0000, 0xff00, 0xff, 0xff000000]))).toMatchObject({ hasAlpha: false });
    expect(parseImageHeader(bmp(40, 32, 6, 240, [0xff0000, 0xff00, 0xff, 0xff000000]))).toMatchObject({ hasAlpha: true });
    expect(parseImageHeader(bmp(40, 16, 0, 240))).toMatchObject({ hasAlpha: false });
    const core = Uint8Array.from([0x42, 0x4d, ...new Array<number>(12).fill(0), ...le32(12), ...le16(64), ...le16(48), ...le16(1), ...le16(24)]);
    expect(parseImageHeader(core)).toEqual({ format: 'bmp', width: 64, height: 48, hasAlpha: false });
  });

  it('recognises HEIF and AVIF by their ftyp brands, keeps them out of audio, and rejects non-images', () => {
    expect(parseImageHeader(ftyp('heic', 'mif1', 'heic'))?.format).toBe('heif');
    expect(parseImageHeader(ftyp('avif', 'mif1', 'miaf'))?.format).toBe('avif');
    expect(parseImageHeader(ftyp('mif1', 'avif'))?.format).toBe('avif');
    expect(parseImageHeader(ftyp('M4A ', 'isom'))).toBeUndefined();
    expect(parseAudioHeader(ftyp('heic', 'mif1'), 100)).toBeUndefined();
    expect(parseImageHeader(new Uint8Array())).toBeUndefined();
    expect(parseImageHeader(Buffer.from('BMW owners club newsletter, issue 12'))).toBeUndefined();
  });
});

describe('parseAudioHeader on ffmpeg output', () => {
  it('reads a 16-bit mono WAV with an exact duration', () => {
    expect(audio('s16.wav')).toMatchObject({ format: 'wav', codec: 'pcm', sampleRate: 48000, channels: 1, durationSeconds: 2.5, durationExact: true });
  });

  it('reads RF64 with WAVE_FORMAT_EXTENSIBLE float samples', () => {
    expect(audio('f32-rf64.wav')).toMatchObject({ format: 'wav', codec: 'float', sampleRate: 44100, channels: 2, durationSeconds: 1.5, durationExact: true });
  });

  it('falls back to the file size for streamed or truncated WAVs, marking the duration inexact', () => {
    const wav = bytesOf('s16.wav').slice();
    const data = Buffer.from(wav).indexOf('data');
    wav.set([0xff, 0xff, 0xff, 0xff], data + 4);
    expect(parseAudioHeader(wav, wav.length)).toMatchObject({ durationSeconds: 2.5, durationExact: false });
    const half = bytesOf('s16.wav').subarray(0, data + 8 + 120_000);
    expect(parseAudioHeader(half, half.length)).toMatchObject({ durationSeconds: 1.25, durationExact: false });
  });

  it.runIf(hasLame).each([
    ['cbr.mp3', 44100, 1, true],
    ['cbr-no-xing.mp3', 44100, 1, false],
    ['vbr-stereo.mp3', 48000, 2, true],
    ['vbr-mpeg2.mp3', 22050, 1, true],
  ] as const)('reads %s', (name, sampleRate, channels, durationExact) => {
    const header = audio(name);
    expect(header).toMatchObject({ format: 'mp3', sampleRate, channels, durationExact });
    expectNear(header?.durationSeconds, 3);
  });

  it.runIf(hasLame)('asks for a second read when an ID3 tag outgrows the buffer', () => {
    const bytes = bytesOf('big-id3.mp3');
    const head = bytes.subarray(0, AUDIO_HEADER_BYTES);
    const at = audioHeaderNeedsMore(head);
    expect(at).toBe(200_010);
    expect(parseAudioHeader(head, bytes.length)).toEqual({ format: 'mp3', durationExact: false });
    const header = parseAudioHeader(head, bytes.length, bytes.subarray(at, (at ?? 0) + AUDIO_HEADER_BYTES));
    expect(header).toMatchObject({ format: 'mp3', durationExact: true, sampleRate: 44100 });
    expectNear(header?.durationSeconds, 3);
    expect(audioHeaderNeedsMore(bytesOf('cbr.mp3'))).toBeUndefined();
  });

  it('names the formats the model does not take', () => {
    expect(audio('audio.m4a')?.format).toBe('m4a');
    expect(audio('audio.aac')?.format).toBe('aac');
    expect(audio('audio.ogg')?.format).toBe('ogg');
    expect(audio('audio.flac')).toMatchObject({ format: 'flac', sampleRate: 44100, channels: 1, durationSeconds: 3, durationExact: true });
  });

  it('does not take images or text for audio', () => {
    for (const name of ['rgb24.png', 'baseline.jpg', 'bgr24.bmp', 'image.gif']) expect(audio(name)).toBeUndefined();
    expect(parseAudioHeader(Buffer.from('just text'), 9)).toBeUndefined();
  });
});

describe('header parsers on damaged input', () => {
  /** Deterministic PRNG (mulberry32) so a failure reproduces. */
  const rng = (seed: number): (() => number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const sane = (bytes: Uint8Array, fileSize: number): void => {
    const img = parseImageHeader(bytes);
    for (const v of [img?.width, img?.height]) if (v !== undefined) expect(Number.isInteger(v) && v >= 0).toBe(true);
    const at = audioHeaderNeedsMore(bytes);
    const snd = parseAudioHeader(bytes, fileSize, at === undefined ? undefined : bytes.subarray(Math.min(at, bytes.length)));
    if (snd?.durationSeconds !== undefined) expect(Number.isFinite(snd.durationSeconds) && snd.durationSeconds >= 0).toBe(true);
  };

  it('never throws on truncations and flipped bytes of every fixture', () => {
    const random = rng(42);
    for (const [name, full] of files) {
      const bytes = full.subarray(0, Math.max(IMAGE_HEADER_BYTES, AUDIO_HEADER_BYTES));
      for (let i = 0; i < 50; i++) {
        const cut = bytes.subarray(0, Math.floor(random() * (bytes.length + 1)));
        expect(() => sane(cut, full.length), `${name} cut at ${cut.length}`).not.toThrow();
        const flipped = bytes.slice();
        // Mostly hit the first 512 bytes, where the headers live.
        for (let k = 1 + Math.floor(random() * 8); k > 0; k--) {
          const pos = Math.floor(random() * (random() < 0.8 ? Math.min(512, flipped.length) : flipped.length));
          flipped[pos] = (flipped[pos] ?? 0) ^ (1 << Math.floor(random() * 8));
        }
        expect(() => sane(flipped, Math.floor(random() * 2 * full.length)), `${name} flip ${i}`).not.toThrow();
      }
    }
  });

  it('never throws on random bytes behind each magic number', () => {
    const random = rng(7);
    const magics = ['\x89PNG\r\n\x1a\n', '\xff\xd8\xff', 'RIFF\0\0\0\0WEBPVP8X', 'RIFF\0\0\0\0WEBPVP8L', 'RIFF\0\0\0\0WAVE', 'RF64\0\0\0\0WAVE', 'BM', 'ID3', '\xff\xfb', 'fLaC', 'GIF89a'];
    for (const magic of magics) {
      for (let i = 0; i < 100; i++) {
        const bytes = new Uint8Array(Math.floor(random() * 300));
        for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(random() * 256);
        bytes.set(Buffer.from(magic, 'latin1').subarray(0, bytes.length));
        expect(() => sane(bytes, bytes.length)).not.toThrow();
      }
    }
  });
});

describe('readAssetInfo', () => {
  it('reports a missing file and a dangling symlink as absent', async () => {
    expect(await readAssetInfo(join(dir, 'nope.png'))).toEqual({ exists: false });
    expect(await readAssetInfo(join(dir, 'rgb24.png', 'child'))).toEqual({ exists: false });
    await fs.symlink(join(dir, 'gone.png'), join(dir, 'dangling.png'));
    expect(await readAssetInfo(join(dir, 'dangling.png'))).toEqual({ exists: false });
  });

  it('refuses a directory', async () => {
    expect(await readAssetInfo(dir)).toEqual({ exists: true, realPath: realpathSync(dir), error: 'is a directory' });
  });

  it('resolves symlinks to the real path and reads the target', async () => {
    const link = join(dir, 'link.png');
    await fs.symlink(join(dir, 'rgba.png'), link);
    expect(await readAssetInfo(link)).toEqual({
      exists: true, realPath: realpathSync(join(dir, 'rgba.png')), bytes: bytesOf('rgba.png').length,
      image: { format: 'png', width: 320, height: 240, hasAlpha: true },
    });
  });

  it('reads audio, including an MP3 behind a large ID3 tag', async () => {
    expect((await readAssetInfo(join(dir, 's16.wav'))).audio).toMatchObject({ format: 'wav', durationSeconds: 2.5 });
    if (!hasLame) return;
    await fs.writeFile(join(dir, 'big-id3.mp3'), bytesOf('big-id3.mp3'));
    expectNear((await readAssetInfo(join(dir, 'big-id3.mp3'))).audio?.durationSeconds, 3);
  });

  it('returns neither header for other files, and refuses FIFOs without blocking', async () => {
    await fs.writeFile(join(dir, 'notes.txt'), 'not media');
    expect(await readAssetInfo(join(dir, 'notes.txt'))).toEqual({ exists: true, realPath: realpathSync(join(dir, 'notes.txt')), bytes: 9 });
    if (process.platform === 'win32') return;
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(await readAssetInfo(join(dir, 'pipe'))).toMatchObject({ exists: true, error: 'not a regular file' });
  });
});
