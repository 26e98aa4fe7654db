// The resolved ffmpeg/ffprobe pair every media call takes (FfmpegTools) and what it can do: types only,
// shared by ffmpeg.ts (which runs the binaries) and ffmpeg-binaries.ts (which finds them).

/** Which of the two binaries. */
export type FfmpegTool = 'ffmpeg' | 'ffprobe';

/** Environment variables consulted, in order, before the npm packages and PATH. */
export type FfmpegEnvVar = 'STORYBOARD_FFMPEG' | 'FFMPEG_PATH' | 'FFMPEG_BIN' | 'STORYBOARD_FFPROBE' | 'FFPROBE_PATH';

/** Where a binary came from. */
export type BinarySource = 'option' | `env:${FfmpegEnvVar}` | 'npm:ffmpeg-static' | 'npm:@ffprobe-installer/ffprobe' | 'PATH';

/** Filters and encoders the pipeline needs; resolution fails without them. */
export type RequiredCapability = 'xfade' | 'acrossfade' | 'drawtext' | 'zoompan' | 'libx264' | 'aac';
/** Filters that only tests and checks use; recorded, not required. */
export type OptionalCapability = 'scdet' | 'blackdetect' | 'ssim';
/** Presence of each filter/encoder of interest in the chosen ffmpeg. */
export type FfmpegCapabilities = Readonly<Record<RequiredCapability | OptionalCapability, boolean>>;

/** A resolved binary: absolute path, version as printed (e.g. "5.1.9-0+deb12u1") and origin. */
export interface ResolvedBinary {
  readonly path: string;
  readonly version: string;
  readonly source: BinarySource;
}

/** The binaries every ffmpeg call uses, plus what the ffmpeg can do. */
export interface FfmpegTools {
  readonly ffmpeg: ResolvedBinary;
  readonly ffprobe: ResolvedBinary;
  readonly capabilities: FfmpegCapabilities;
}
