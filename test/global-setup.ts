import { resolveFfmpeg } from '../src/media/ffmpeg-binaries.js';

/** Media tests need real ffmpeg/ffprobe: a missing one fails the whole run with instructions, never a silent skip. */
export default async function setup(): Promise<void> {
  try {
    const tools = await resolveFfmpeg();
    process.env.STORYBOARD_TEST_FFMPEG = tools.ffmpeg.path;
    process.env.STORYBOARD_TEST_FFPROBE = tools.ffprobe.path;
  } catch (e) {
    throw new Error(`The test suite needs ffmpeg and ffprobe: ${e instanceof Error ? e.message : String(e)}`);
  }
}
