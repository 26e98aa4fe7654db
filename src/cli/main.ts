// The `storyboard` command line: declares every command with commander and loads each command's code only when it
// runs (so `--help` and `validate` start fast); the only place that sets the process exit code.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CliExit, EXIT } from './exit-codes.js';
import { processOutput, type Output } from './output.js';
import { version } from './version.js';

/**
 * Builds the command tree; each action stores its exit code in `state`. Each action imports its command when it
 * runs, so `--version`, `--help` and `validate` do not load the renderer, the backends, undici or handlebars.
 */
export function buildProgram(out: Output, state: { code: number }): Command {
  const program = new Command('storyboard')
    .description('Declarative storyboard compiler for AI video: YAML storyboards → Wan requests → one reproducible MP4.')
    .version(version(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.out(s.replace(/\n$/, '')), writeErr: (s) => out.err(s.replace(/\n$/, '')) })
    .showHelpAfterError('(run with --help for usage)');
  program.command('validate')
    .description('Check storyboards against the schema and the rules of their models.')
    .argument('<files...>', 'storyboard YAML files')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (files: string[], opts: { format: 'text' | 'json' }) => {
      const { validateCommand } = await import('./commands/validate.js');
      state.code = await validateCommand(files, out, { format: opts.format });
    });
  program.command('compile')
    .description('Print the plan: the exact requests each clip becomes, their inputs, dependencies and costs.')
    .argument('<file>', 'storyboard YAML file')
    .option('--requests', 'print only the HTTP requests, one per clip')
    .option('--prompts', 'print only the prompts')
    .action(async (file: string, opts: { requests?: boolean; prompts?: boolean }) => {
      const { compileCommand } = await import('./commands/compile.js');
      state.code = await compileCommand(file, out, { view: opts.requests ? 'requests' : opts.prompts ? 'prompts' : 'plan' });
    });
  program.command('graph')
    .description('Print the clip graph (continuity edges) as Mermaid, or DOT with --dot.')
    .argument('<file>', 'storyboard YAML file')
    .option('--dot', 'print Graphviz DOT instead of Mermaid')
    .action(async (file: string, opts: { dot?: boolean }) => {
      const { compileCommand } = await import('./commands/compile.js');
      state.code = await compileCommand(file, out, { view: opts.dot ? 'dot' : 'mermaid' });
    });
  program.command('render')
    .description('Render a storyboard into a film: validate, compile, make every clip (cached by content), stitch.')
    .argument('<file>', 'storyboard YAML file')
    .addOption(new Option('--backend <name>', 'who makes the clips').choices(['preview', 'dashscope']).default('preview'))
    .option('--concurrency <n>', 'most clips at once overall', positiveInt)
    .option('--only <scenes...>', 'render only these scenes (and the clips they continue from)')
    .option('--force', 'render clips again even when cached')
    .option('--frozen', 'fail, without rendering anything, if any clip is not already cached')
    .option('--stills', 'make only the stills (generated images, cheap), to review them in the report before paying for video')
    .option('--json', 'print one JSON event per line; the last line is the summary')
    .option('--cache-dir <dir>', 'clip cache (default: .storyboard/cache beside the storyboard)')
    .option('--ffmpeg <path>', 'ffmpeg binary')
    .option('--ffprobe <path>', 'ffprobe binary')
    .option('--api-key <key>', 'DashScope API key (default: DASHSCOPE_API_KEY)')
    .option('--base-url <url>', 'DashScope base URL (default: DASHSCOPE_BASE_URL, else the international endpoint)')
    .option('--unreachable-timeout <seconds>', 'give up on DashScope after this long without an answer, tasks kept for the next run (default: DASHSCOPE_UNREACHABLE_TIMEOUT, else 600)', positiveInt)
    .option('--yes', 'do not ask before spending money on a paid backend')
    .option('--budget <usd>', 'refuse a paid render estimated above this many US dollars (default: the storyboard\'s budget:)', nonNegativeNumber)
    .option('--watch', 're-validate and re-render what changed whenever the storyboard or its files change (preview backend)')
    .action(async (file: string, opts: { backend: 'preview' | 'dashscope'; concurrency?: number; only?: string[]; force?: boolean; frozen?: boolean; stills?: boolean; json?: boolean; cacheDir?: string; ffmpeg?: string; ffprobe?: string; apiKey?: string; baseUrl?: string; unreachableTimeout?: number; yes?: boolean; watch?: boolean; budget?: number }) => {
      if (opts.watch && opts.backend !== 'preview') {
        out.err('storyboard: --watch renders with the preview backend only (a paid render on every save could be costly)');
        state.code = EXIT.usage;
        return;
      }
      const stop = onStopSignal(() => out.err('\nstopping: finishing nothing new; finished clips are kept (run again to resume)'));
      try {
        const common = { ...opts, signal: stop.signal, write: (t: string) => void process.stderr.write(t), confirm: askYesNo };
        state.code = opts.watch
          ? await (await import('./commands/watch.js')).watchCommand(file, out, common)
          : await (await import('./commands/render.js')).renderCommand(file, out, common);
      } catch (e) {
        // an error on the way out of a stopped run is shown, but the exit code still says it was interrupted
        if (!stop.signal.aborted) throw e;
        out.err(`storyboard: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        state.code = stop.done() ?? state.code;
      }
    });
  program.command('plan')
    .description('Show what a render would reuse and render (and why), its estimated cost and wall time; renders nothing.')
    .argument('<file>', 'storyboard YAML file')
    .addOption(new Option('--backend <name>', 'whose cached clips to look for').choices(['preview', 'dashscope']).default('preview'))
    .option('--json', 'print the report as JSON')
    .option('--budget <usd>', 'exit 1 if the clips to render are estimated above this many US dollars (default: the storyboard\'s budget:)', nonNegativeNumber)
    .option('--cache-dir <dir>', 'clip cache (default: .storyboard/cache beside the storyboard)')
    .action(async (file: string, opts: { backend: 'preview' | 'dashscope'; json?: boolean; budget?: number; cacheDir?: string }) => {
      const { planCommand } = await import('./commands/plan.js');
      state.code = await planCommand(file, out, opts);
    });
  program.command('diff')
    .description('Compare the plans of two storyboards: clips added, removed and changed (exit 0 identical, 1 different, 2 invalid).')
    .argument('<a>', 'old storyboard YAML file')
    .argument('<b>', 'new storyboard YAML file')
    .option('--json', 'print the differences as JSON')
    .action(async (a: string, b: string, opts: { json?: boolean }) => {
      const { diffCommand } = await import('./commands/diff.js');
      state.code = await diffCommand(a, b, out, opts);
    });
  program.command('stitch')
    .description('Assemble the film again from cached clips, without rendering anything.')
    .argument('<file>', 'storyboard YAML file')
    .addOption(new Option('--backend <name>', 'whose clips to use').choices(['preview', 'dashscope']).default('preview'))
    .option('--json', 'print one JSON event per line; the last line is the summary')
    .option('--cache-dir <dir>', 'clip cache (default: .storyboard/cache beside the storyboard)')
    .action(async (file: string, opts: { backend: 'preview' | 'dashscope'; json?: boolean; cacheDir?: string }) => {
      const { renderCommand } = await import('./commands/render.js');
      state.code = await renderCommand(file, out, { ...opts, assembleOnly: true, write: (t) => void process.stderr.write(t) });
    });
  program.command('verify')
    .description('Decode a film and check it frame by frame against the timeline written next to it (exit 0 verified, 1 problems, 2 cannot check).')
    .argument('<file>', 'the film (.mp4), or the storyboard YAML file whose film to check')
    .option('--json', 'print the verification as one JSON object')
    .option('--ffmpeg <path>', 'ffmpeg binary')
    .option('--ffprobe <path>', 'ffprobe binary')
    .action(async (file: string, opts: { json?: boolean; ffmpeg?: string; ffprobe?: string }) => {
      const { verifyCommand } = await import('./commands/verify.js');
      state.code = await verifyCommand(file, out, opts);
    });
  program.command('init')
    .description('Create a storyboard project: an example storyboard with its keyframe, the schema, .gitignore and a README.')
    .argument('[dir]', 'directory of the project (created if missing)', '.')
    .action(async (dir: string) => {
      const { initCommand } = await import('./commands/init.js');
      state.code = await initCommand(dir, out);
    });
  program.command('emulator')
    .description('Serve a local emulator of the DashScope video API on 127.0.0.1 (renders with the preview renderer).')
    .option('--port <n>', 'port (0 picks a free one)', (v) => Number(v), 8765)
    .option('--api-key <key>', 'the only key accepted (default: any key starting with sk-)')
    .option('--latency <seconds>', 'seconds each task runs', (v) => Number(v), 2)
    .option('--faults <spec>', 'fault injection, e.g. throttle=0.3,server=0.1,task=0.05,truncate=0.05')
    .option('--seed <n>', 'seed of the fault generator', (v) => Number(v))
    .option('--time-scale <x>', 'speed up the 24 h expiry clock', (v) => Number(v))
    .option('--drift <spec>', 'simulated drift of image-to-video results per hop, e.g. cast=6,-2,-5;gain=1.04;blur=0.6')
    .action(async (opts: { port: number; apiKey?: string; latency: number; faults?: string; seed?: number; timeScale?: number; drift?: string }) => {
      const stop = onStopSignal();
      try {
        const { emulatorCommand } = await import('./commands/emulator.js');
        state.code = await emulatorCommand(out, { ...opts, signal: stop.signal });
      } finally {
        state.code = stop.done() ?? state.code;
      }
    });
  return program;
}

/** Exit codes of a command stopped by a signal: 128 + the signal's number, what shells report (Ctrl-C: 130). */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Turns the first Ctrl-C (or SIGTERM) during a long-running command into an abort of `signal`, after `notice`; a
 * second one ends the process at once. `done()` removes the handlers and gives the exit code the command must
 * end with when a signal stopped it, whatever it returned while stopping: 130 for Ctrl-C in every mode (143 for
 * SIGTERM).
 */
function onStopSignal(notice?: () => void): { signal: AbortSignal; done: () => number | undefined } {
  const controller = new AbortController();
  let stoppedBy: keyof typeof SIGNAL_EXIT | undefined;
  const off = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
  function stop(name: NodeJS.Signals): void {
    off();
    stoppedBy = name === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
    notice?.();
    controller.abort();
  }
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    done: () => {
      off();
      return stoppedBy && SIGNAL_EXIT[stoppedBy];
    },
  };
}

/** Asks a yes/no question on the terminal. */
async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** A non-negative amount of US dollars (`--budget 0` refuses any spending). */
function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected an amount of US dollars, e.g. 5 or 0.50');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

/** Runs the CLI with the given arguments; the only place that decides the process's exit code. */
export async function main(argv: readonly string[], out: Output = processOutput()): Promise<number> {
  const state = { code: EXIT.ok as number };
  const program = buildProgram(out, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      state.code = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else if (e instanceof CliExit) {
      if (e.message) out.err(e.message);
      state.code = e.code;
    } else {
      // never a stack trace for the user; STORYBOARD_DEBUG=1 shows it
      out.err(`storyboard: internal error: ${e instanceof Error ? e.message : String(e)}`);
      if (process.env.STORYBOARD_DEBUG && e instanceof Error && e.stack) out.err(e.stack);
      state.code = EXIT.failed;
    }
  }
  process.exitCode = state.code;
  return state.code;
}
