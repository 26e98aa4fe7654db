// A WAV whose header describes no playable audio (issue 13, point 14): 0 Hz, no channels, an absurd rate. It used
// to pass `validate` and fail only at render; now it is an `audio-header-invalid` error at the file's YAML position,
// for a scene's driving audio and for the film's music.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStoryboard } from '../src/render/load-storyboard.js';
import { runCli } from './helpers/run-cli.js';

/** A 16-bit PCM WAV whose header says `sampleRate` and `channels`, with the bytes of 3 s of 48 kHz mono silence. */
function wav(sampleRate: number, channels: number): Buffer {
  const blockAlign = Math.max(1, channels) * 2;
  const data = Buffer.alloc(48_000 * 2 * 3);
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(sampleRate, 4);
  fmt.writeUInt32LE((sampleRate * blockAlign) >>> 0, 8);
  fmt.writeUInt16LE(blockAlign, 12);
  fmt.writeUInt16LE(16, 14);
  const chunk = (id: string, body: Buffer): Buffer => Buffer.concat([Buffer.from(id, 'latin1'), Buffer.from(Uint32Array.of(body.length).buffer), body]);
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), chunk('fmt ', fmt), chunk('data', data)]);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from(Uint32Array.of(body.length).buffer), body]);
}

/** Writes a storyboard whose scene speaks `voice` and whose film has `music` under it, both WAVs. */
function project(voice: Buffer, music: Buffer): { file: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sb-wav-'));
  writeFileSync(join(dir, 'voice.wav'), voice);
  writeFileSync(join(dir, 'score.wav'), music);
  const text = `version: 1
scenes:
  - id: office
    model: wan2.7-t2v
    audio: voice.wav
    prompt: A fox detective speaks to the camera.
output:
  music:
    file: score.wav
`;
  writeFileSync(join(dir, 'film.yaml'), text);
  return { file: join(dir, 'film.yaml'), text };
}

/** Each diagnostic's code and the text its span covers. */
async function problems(voice: Buffer, music: Buffer = wav(44_100, 2)): Promise<[string, string][]> {
  const { file, text } = project(voice, music);
  const loaded = await loadStoryboard(file);
  return loaded.result.diagnostics.map((d) => [d.code, text.slice(d.span?.start, d.span?.end)]);
}

describe('a WAV header that describes no playable audio', () => {
  it('is an error at the `audio:` value: 0 Hz, 0 channels, a rate no recording has', async () => {
    expect(await problems(wav(0, 1))).toEqual([['audio-header-invalid', 'voice.wav']]);
    expect(await problems(wav(48_000, 0))).toEqual([['audio-header-invalid', 'voice.wav']]);
    expect(await problems(wav(4_000_000_000, 1))).toEqual([['audio-header-invalid', 'voice.wav']]);
    expect(await problems(wav(48_000, 1000))).toEqual([['audio-header-invalid', 'voice.wav']]);
  });

  it('is an error at the music file too, and a sound header passes', async () => {
    expect(await problems(wav(48_000, 1), wav(0, 2))).toEqual([['audio-header-invalid', 'score.wav']]);
    expect(await problems(wav(48_000, 1))).toEqual([]);
    expect(await problems(wav(8_000, 2))).toEqual([]);
  });

  it('makes `storyboard validate` exit 1 with the position of the file in the YAML', async () => {
    const { file } = project(wav(0, 1), wav(44_100, 2));
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/film\.yaml:5:12: error audio-header-invalid: `voice\.wav` is not a usable WAV file: its header says 0 Hz/);
  });
});
