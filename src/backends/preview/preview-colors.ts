// Colours and the audio tone of a preview clip, derived from the clip's content key: the same
// request always looks and sounds the same, and different clips are easy to tell apart. Pure.
import { createHash } from 'node:crypto';

/** An sRGB colour, each channel 0–255. */
interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

/** What a clip's key decides about its look and sound. */
export interface PreviewPalette {
  /** Background gradient, from the top-left corner … */
  readonly from: Rgb;
  /** … to the bottom-right corner. */
  readonly to: Rgb;
  /** Progress bar colour. */
  readonly accent: Rgb;
  /** Pitch of the placeholder tone in Hz (a note of the A minor pentatonic scale, 220–880 Hz). */
  readonly toneHz: number;
}

/** Semitones above A3 (220 Hz) of the A minor pentatonic scale over two octaves. */
const PENTATONIC = [0, 3, 5, 7, 10, 12, 15, 17, 19, 22, 24] as const;

/** HSL (hue in degrees, saturation and lightness 0–1) to sRGB. */
function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const c = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const h = (((hue % 360) + 360) % 360) / 60;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const [r, g, b] = h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x] : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x];
  const m = lightness - c / 2;
  const channel = (v: number): number => Math.round((v + m) * 255);
  return { r: channel(r), g: channel(g), b: channel(b) };
}

/** `0xRRGGBB`, the colour syntax ffmpeg options accept. */
export function ffmpegColor(color: Rgb, alpha?: number): string {
  const hex = [color.r, color.g, color.b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return alpha === undefined ? `0x${hex}` : `0x${hex}@${alpha}`;
}

/** The palette of a clip: dark, saturated enough to tell clips apart, and dark enough for white text. */
export function previewPalette(key: string): PreviewPalette {
  const digest = createHash('sha256').update(key, 'utf8').digest();
  const byte = (i: number): number => digest[i] ?? 0;
  const hue = ((byte(0) << 8) | byte(1)) % 360;
  const spread = 30 + (byte(2) % 60);
  const note = PENTATONIC[byte(3) % PENTATONIC.length] ?? 0;
  return {
    from: hslToRgb(hue, 0.55, 0.3),
    to: hslToRgb(hue + spread, 0.6, 0.14),
    accent: hslToRgb(hue + 180, 0.75, 0.6),
    toneHz: Math.round(220 * 2 ** (note / 12) * 100) / 100,
  };
}
