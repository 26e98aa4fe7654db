import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '../src/assets/encode-png.js';
import { describe, expect, it } from 'vitest';
import { loadStoryboard } from '../src/render/load-storyboard.js';
import { CODES } from '../src/diagnostics/codes.js';
import { formatDiagnostics } from '../src/diagnostics/format.js';
import { MAX_SOURCE_BYTES } from '../src/compiler/source.js';

const ROOT = 'test/fixtures/invalid';
const cases = readdirSync(ROOT).filter((d) => !d.startsWith('.')).sort();

/** Inputs too big to commit are generated on the fly (and git-ignored). */
function generateInputs(): void {
  const generate = (code: string, file: string, make: () => Uint8Array | string): void => {
    const path = join(ROOT, code, file);
    if (existsSync(path)) return;
    mkdirSync(join(ROOT, code), { recursive: true });
    writeFileSync(path, make());
  };
  generate('file-too-large', 'input.yaml', () => 'version: 1\n' + '# padding\n'.repeat(Math.ceil(MAX_SOURCE_BYTES / 10) + 10));
  // A 2000×2000 RGB PNG stored without compression (~11.4 MiB): inside wan2.6-i2v's 360–2000 px, over its 10 MB.
  generate('image-file-too-large', 'harbour-scan.png', () => uncompressedPng(2000, 2000));
  // 22 s of 96 kHz stereo 32-bit float silence (~16.1 MiB): inside wan2.7-t2v's 2–30 s, over its 15 MB.
  generate('audio-file-too-large', 'voice-master.wav', () => floatWav(96_000, 2, 22));
  // An MP4 header saying 12 s of 1280×720 video with 101 MiB of media data: inside wan2.6-r2v's 1–30 s, over its 100 MB.
  generate('video-file-too-large', 'keeper-master.mp4', () => paddedMp4(12, 101 * 1024 * 1024));
}

/** An MP4 whose header says `seconds` of 1280×720 video (ftyp, moov with mvhd and one `vide` track), then an mdat of zeros. */
function paddedMp4(seconds: number, mdatBytes: number): Uint8Array {
  const box = (type: string, ...parts: Uint8Array[]): Buffer => {
    const body = Buffer.concat(parts);
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + body.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body]);
  };
  const mvhd = Buffer.alloc(100); // version 0: timescale at 12, duration at 16
  mvhd.writeUInt32BE(1000, 12);
  mvhd.writeUInt32BE(seconds * 1000, 16);
  const tkhd = Buffer.alloc(84); // version 0: identity matrix at 40, width and height (16.16) at 76 and 80
  tkhd.writeUInt32BE(0x10000, 40);
  tkhd.writeUInt32BE(0x10000, 56);
  tkhd.writeUInt32BE(0x40000000, 72);
  tkhd.writeUInt32BE(1280 * 0x10000, 76);
  tkhd.writeUInt32BE(720 * 0x10000, 80);
  const hdlr = Buffer.alloc(24);
  hdlr.write('vide', 8, 'latin1');
  const header = Buffer.concat([
    box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41', 'latin1')),
    box('moov', box('mvhd', mvhd), box('trak', box('tkhd', tkhd), box('mdia', box('hdlr', hdlr)))),
  ]);
  const mdat = Buffer.alloc(8);
  mdat.writeUInt32BE(8 + mdatBytes, 0);
  mdat.write('mdat', 4, 'latin1');
  return Buffer.concat([header, mdat, Buffer.alloc(mdatBytes)]);
}

/** A valid truecolour PNG whose pixel data is deflated with stored (uncompressed) blocks. */
function uncompressedPng(width: number, height: number): Uint8Array {
  return encodePng(width, height, (x) => [0x20, 0x40, 0x60 + (x & 0x1f)], { level: 0 });
}

/** A silent IEEE-float WAV of the given rate, channels and length. */
function floatWav(sampleRate: number, channels: number, seconds: number): Uint8Array {
  const blockAlign = channels * 4;
  const dataSize = sampleRate * seconds * blockAlign;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + dataSize, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(3, 20); // WAVE_FORMAT_IEEE_FLOAT
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(32, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataSize, 40);
  return Buffer.concat([header, Buffer.alloc(dataSize)]);
}

describe('invalid fixtures: one storyboard per diagnostic code', () => {
  generateInputs();

  it('covers every code in the registry', () => {
    expect(cases).toEqual(Object.keys(CODES).sort());
  });

  for (const code of cases) {
    it(code, async () => {
      const loaded = await loadStoryboard(join(ROOT, code, 'input.yaml'));
      const codes = loaded.result.diagnostics.map((d) => d.code);
      expect(codes).toContain(code);
      const sources = new Map(loaded.source ? [[loaded.source.path, loaded.source.text]] : []);
      const rendered = formatDiagnostics(loaded.result.diagnostics, { sources }) + '\n';
      await expect(rendered).toMatchFileSnapshot(`fixtures/invalid/${code}/diagnostics.txt`);
    });
  }
});
