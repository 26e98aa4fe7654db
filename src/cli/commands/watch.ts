// `storyboard render --watch`: renders, then re-renders whenever the storyboard or a file it refers to changes
// (only changed clips render again).
import { watch, type FSWatcher } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadStoryboard } from '../../render/load-storyboard.js';
import { localAssetRefs } from '../../compiler/asset-refs.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { renderCommand, type RenderOptions } from './render.js';

/** Options of `render --watch`. */
export interface WatchOptions extends RenderOptions {
  /** Stops watching (Ctrl-C). */
  readonly signal: AbortSignal;
  /** Milliseconds of quiet after a change before rendering (editors write files in bursts). */
  readonly debounceMs?: number;
  /** Called after each render with its exit code (tests use it). */
  readonly onRender?: (code: number) => void;
}

/**
 * `storyboard render --watch`: renders, then re-validates and re-renders whenever the storyboard or a file it
 * refers to changes. Only changed clips render again (the cache has the rest); a render in progress when a
 * new change arrives is stopped and started over.
 */
export async function watchCommand(file: string, out: Output, options: WatchOptions): Promise<number> {
  let current: AbortController | undefined;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let watchers: FSWatcher[] = [];
  const run = (): void => {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    running = running.then(async () => {
      if (controller.signal.aborted || options.signal.aborted) return;
      // watch before rendering: a save during the render (or right after it) must not be missed
      watchers = await rewatch(file, watchers, schedule);
      const code = await renderCommand(file, out, { ...options, signal: AbortSignal.any([controller.signal, options.signal]) });
      options.onRender?.(code);
      if (!controller.signal.aborted) out.err(`watching ${file} for changes (Ctrl-C to stop)`);
    });
  };
  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(run, options.debounceMs ?? 200);
  };
  run();
  await new Promise<void>((done) => {
    if (options.signal.aborted) done();
    options.signal.addEventListener('abort', () => done(), { once: true });
  });
  clearTimeout(timer);
  current?.abort();
  for (const w of watchers) w.close();
  await running;
  return EXIT.ok;
}

/** Watches the storyboard and every local file it refers to (the set changes as the storyboard is edited). */
async function rewatch(file: string, old: FSWatcher[], onChange: () => void): Promise<FSWatcher[]> {
  for (const w of old) w.close();
  const loaded = await loadStoryboard(file);
  const dir = dirname(resolve(file));
  const assets = loaded.result.ok ? localAssetRefs(loaded.result.value.context.storyboard) : [];
  const paths = [resolve(file), ...assets.map((a) => join(dir, a.relative ?? a.ref))];
  const watchers: FSWatcher[] = [];
  for (const p of new Set(paths)) {
    try {
      watchers.push(watch(p, { persistent: true }, onChange));
    } catch {
      // a file that does not exist yet is reported by validation; its folder is watched below
    }
  }
  // editors that save by rename replace the file: watching its folder catches that
  watchers.push(watch(dir, { persistent: true }, (_, name) => {
    if (name && paths.some((p) => p.endsWith(`/${name}`))) onChange();
  }));
  return watchers;
}
