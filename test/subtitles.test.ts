import { describe, expect, it } from 'vitest';
import { toFfmetadata } from '../src/assembly/chapters.js';
import { toSrt, toVtt } from '../src/assembly/subtitles.js';

const cues = [
  { start: 0, end: 4, text: 'Gull Rock, 1952', kind: 'caption' as const, clip: 'storm', shot: 'a' },
  { start: 0, end: 4, text: 'Not tonight.', kind: 'dialogue' as const, clip: 'storm', shot: 'a' },
  { start: 27.9333, end: 3725.5, text: 'A <b>bold</b> --> line & more', kind: 'dialogue' as const, clip: 'letter', shot: 'b' },
];

describe('subtitle sidecars', () => {
  it('SRT: numbered cues, comma millisecond timestamps, caption and dialogue of one shot in one cue', () => {
    expect(toSrt(cues)).toBe('1\n00:00:00,000 --> 00:00:04,000\nGull Rock, 1952\nNot tonight.\n\n2\n00:00:27,933 --> 01:02:05,500\nA <b>bold</b> --> line & more\n');
  });

  it('WebVTT: header, dot timestamps, text escaped so it cannot break a cue', () => {
    const vtt = toVtt(cues);
    expect(vtt.startsWith('WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n')).toBe(true);
    expect(vtt).toContain('00:00:27.933 --> 01:02:05.500\nA &lt;b>bold&lt;/b> --&gt; line &amp; more');
  });

  it('chapters as ffmetadata with escaped titles', () => {
    const meta = toFfmetadata({ chapters: [{ scene: 'a', title: 'Storm; night = 1', start: 0, end: 12.5 }] }, 'The Light');
    expect(meta).toBe(';FFMETADATA1\ntitle=The Light\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=12500\ntitle=Storm\\; night \\= 1\n');
  });
});
