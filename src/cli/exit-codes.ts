// The exit codes of the `storyboard` command and the error commands throw to end with one (only main.ts
// exits).
/** Exit codes of the `storyboard` command. */
export const EXIT = {
  /** Success (warnings allowed). */
  ok: 0,
  /** The storyboard is invalid, or a render failed. */
  failed: 1,
  /** Bad command-line usage or unreadable input. */
  usage: 2,
} as const;

/** Thrown by commands to end with a specific exit code after printing their own message. */
export class CliExit extends Error {
  constructor(readonly code: number, message = '') {
    super(message);
  }
}
