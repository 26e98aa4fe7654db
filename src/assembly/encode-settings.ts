// The fixed encoder settings of the smart assembler (ffmpeg-notes.md §3 (d), §5). Clip bodies and seams
// MUST share them: the concat demuxer keeps only the first piece's SPS/PPS (avcC), so every piece has to
// be encoded so that its SPS/PPS are byte-identical.

/** The film's frame rate. */
export const FPS = 30;
/** Audio sample rate of the film. */
export const SAMPLE_RATE = 48000;
/** 48000 / 30: audio samples per video frame, so audio cuts are sample-exact at frame boundaries. */
export const SAMPLES_PER_FRAME = SAMPLE_RATE / FPS;
/**
 * x264 threads: ONE. The output depends on the thread count, so it must not follow the machine's cores; and
 * with 2 threads, 3 of 60 normalizations of the same clip under CPU load gave different video bytes (1 thread:
 * 60 of 60 identical). The assembler gets its parallelism from running independent encodes side by side.
 */
export const X264_THREADS = 1;
/**
 * Independent encodes (one per clip, and the audio pass) run at most this many at a time. Each is one
 * thread: three keep two cores busy through every process's start-up and muxing, and keep a fair share of
 * the CPU when other work runs (a threaded encoder competes with 4-5 threads); at ~280 MB each, < 1 GB.
 */
export const PARALLEL_ENCODES = 3;
/** mp4 time scale of every video piece (512 ticks a frame), so copied pieces share one time base. */
const VIDEO_TIMESCALE = 15360;

/** A frame number no piece reaches: the segment muxer's "do not split" (it refuses INT_MAX itself). */
const NEVER_SPLIT = 2 ** 31 - 2;

/**
 * Options for writing video pieces with the segment muxer: split at the given frames (which must be IDRs),
 * each piece starting at 0 — but keeping the B-frame delay as negative DTS, which mp4 records in an edit
 * list (shifting it instead left a 2-frame gap per piece, ffmpeg-notes §3 (d)).
 */
export function segmentArgs(splitFrames: readonly number[], pattern: string): string[] {
  return [
    // ALWAYS a frame list: without one the muxer falls back to its 2 s `segment_time` and splits at every
    // keyframe after it (x264 puts one every 250 frames), so a long clip came out as two pieces and the
    // film kept only the first, freezing on it (3.7 s lost in the README's film)
    '-f', 'segment', '-segment_frames', (splitFrames.length ? splitFrames : [NEVER_SPLIT]).join(','),
    '-reset_timestamps', '1', '-avoid_negative_ts', 'disabled',
    '-segment_format', 'mp4', '-segment_format_options', `video_track_timescale=${VIDEO_TIMESCALE}`, pattern,
  ];
}

/**
 * Version of the piece recipe (the encoder and filter arguments of bodies and seams): part of every cache
 * key and of the film's key, bump it whenever an argument changes.
 */
export const RECIPE_VERSION = 'piece-3';

/**
 * Decoder threads for every input: one. The processes are CPU-bound and run side by side, so frame threads
 * only add copies, memory and scheduling (measured ~5 % more CPU per clip); decoding is bit-exact either way.
 */
export const DECODE_ARGS: readonly string[] = ['-threads', '1'];

/**
 * Filter threading pinned to one thread: it is not where the time goes (x264 is), and a pinned graph
 * removes one more source of run-to-run variation.
 */
export const GLOBAL_ARGS: readonly string[] = ['-filter_threads', '1', '-filter_complex_threads', '1'];

/**
 * libx264 settings for every video piece; closed GOPs so that a forced IDR really starts an independent piece.
 * crf 20, the full re-encode's quality (ffmpeg-notes §3 (c')): every film frame is now encoded once from its
 * source, no longer twice, so the margin of crf 18 for a second generation is not needed (and costs ~9 % CPU).
 */
export const VIDEO_ENCODE_ARGS: readonly string[] = [
  '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-profile:v', 'high', '-pix_fmt', 'yuv420p',
  '-x264-params', 'open-gop=0', '-forced-idr', '1', '-threads', String(X264_THREADS),
];

/** AAC for the film (and the normalized clips): 48 kHz stereo. */
export const AUDIO_ENCODE_ARGS: readonly string[] = ['-c:a', 'aac', '-b:a', '192k', '-ar', String(SAMPLE_RATE), '-ac', '2'];

/** No version strings or dates in the output, so the same inputs give the same bytes. */
export const BITEXACT_ARGS: readonly string[] = ['-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact'];


/**
 * Frame props pinned before encoding: x264 writes colour tags into the SPS, so clips tagged differently
 * (or not at all) would otherwise get different SPS and could not be stream-copied into one film.
 */
export const PIN_FRAME_PROPS = 'setparams=range=tv:color_primaries=unknown:color_trc=unknown:colorspace=unknown';

/** Seconds for a frame count, printed exactly enough for ffmpeg (µs). */
export function frameSeconds(frames: number): string {
  return (frames / FPS).toFixed(6);
}
