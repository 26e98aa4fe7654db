// The architecture's import rules (ARCHITECTURE.md, "Allowed imports"): src/'s real import graph has no cycle
// and no import against the layer table below, and the lint config enforces the same table.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/**
 * What each folder of src/ may import, highest stage first: the table eslint.config.js enforces, imported from
 * it (by URL: the config is plain JavaScript outside the TypeScript project), so there is one table.
 */
const { LAYERS: ALLOWED } = (await import(new URL('../eslint.config.js', import.meta.url).href)) as { LAYERS: Readonly<Record<string, readonly string[]>> };
/** Of an allowed folder, only these files: the runner knows backends only through the Backend interface. */
const ONLY: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  runner: { backends: ['backends/backend.ts'] },
};
/** src/index.ts, the package entry, may import any folder. */
const ENTRY = '(entry)';

const posix = (path: string): string => path.split(sep).join('/');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : e.name.endsWith('.ts') ? [posix(relative(SRC, path))] : [];
  });
}

/** The folder (stage) of a file under src/, e.g. `runner` for `runner/run-plan.ts`. */
const folderOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : ENTRY);

/** The src files `file` imports (static, type-only, re-exports and dynamic imports); imports outside src/ are left out. */
function importsOf(file: string): { target: string; spec: string }[] {
  const info = ts.preProcessFile(readFileSync(join(SRC, file), 'utf8'), true, true);
  return info.importedFiles.flatMap(({ fileName: spec }) => {
    if (!spec.startsWith('.')) return [];
    const path = posix(relative(SRC, resolve(SRC, dirname(file), spec)));
    if (path.startsWith('../')) return []; // package.json, schemas/*.json
    const target = [path.replace(/\.js$/, '.ts'), `${path}.ts`, `${path}/index.ts`].find((p) => existsSync(join(SRC, p))) ?? path;
    return [{ target, spec }];
  });
}

function importGraph(): Map<string, { target: string; spec: string }[]> {
  return new Map(sourceFiles(SRC).sort().map((f) => [f, importsOf(f)]));
}

/** Strongly connected components of more than one file (or a file importing itself): the import cycles. */
function cycles(graph: ReadonlyMap<string, readonly { target: string }[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).some((e) => e.target === v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Every import against the table, as "from → to". */
function wrongImports(graph: ReadonlyMap<string, readonly { target: string; spec: string }[]>): string[] {
  const wrong: string[] = [];
  for (const [file, imports] of graph) {
    const from = folderOf(file);
    if (from !== ENTRY && !(from in ALLOWED)) wrong.push(`${file}: src/${from}/ is not in the layer table (test/architecture.test.ts, eslint.config.js)`);
    for (const { target, spec } of imports) {
      if (!graph.has(target)) wrong.push(`${file} → '${spec}': no such source file`);
      const to = folderOf(target);
      if (from === ENTRY || from === to || !(from in ALLOWED)) continue;
      const only = ONLY[from]?.[to];
      if (!ALLOWED[from]?.includes(to)) wrong.push(`${file} → ${target}: src/${from} may import only ${ALLOWED[from]?.join(', ') || 'nothing else in src'}`);
      else if (only && !only.includes(target)) wrong.push(`${file} → ${target}: src/${from} may import only ${only.join(', ')} of src/${to}`);
    }
  }
  return wrong;
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('is read from every source file', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('runner/backend-work.ts')?.map((e) => e.target)).toContain('backends/backend.ts');
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a planted cycle', () => {
    const planted = new Map([
      ['io/hash.ts', [{ target: 'io/atomic-write.ts' }]],
      ['io/atomic-write.ts', [{ target: 'io/hash.ts' }]],
      ['io/other.ts', [{ target: 'io/hash.ts' }]],
    ]);
    expect(cycles(planted)).toEqual([['io/atomic-write.ts', 'io/hash.ts']]);
  });

  it('has no import up or across the stages', () => {
    expect(wrongImports(graph)).toEqual([]);
  });

  it('finds planted wrong imports', () => {
    const planted = new Map([
      ['compiler/planted.ts', [{ target: 'runner/run-plan.ts', spec: '../runner/run-plan.js' }]],
      ['runner/planted.ts', [{ target: 'backends/dashscope/poll-schedule.ts', spec: '../backends/dashscope/poll-schedule.js' }]],
      ['runner/run-plan.ts', []],
      ['backends/dashscope/poll-schedule.ts', []],
    ]);
    expect(wrongImports(planted)).toEqual([
      'compiler/planted.ts → runner/run-plan.ts: src/compiler may import only diagnostics',
      'runner/planted.ts → backends/dashscope/poll-schedule.ts: src/runner may import only backends/backend.ts of src/backends',
    ]);
  });
});

describe('the lint config', () => {
  const eslint = new ESLint({ cwd: ROOT });
  /** Lines of `text`, linted as `file`, that break no-restricted-imports (1-based), with the messages. */
  async function restricted(file: string, text: string): Promise<{ lines: number[]; messages: string[] }> {
    const [result] = await eslint.lintText(text, { filePath: join(ROOT, file) });
    const hits = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports');
    return { lines: hits.map((m) => m.line), messages: hits.map((m) => m.message) };
  }

  it('fails a planted wrong import in the compiler and in media', async () => {
    const compiler = await restricted('src/compiler/plan/planted.ts', "import { runPlan } from '../../runner/run-plan.js';\nexport const run = runPlan;\n");
    expect(compiler.messages).toEqual([expect.stringContaining('src/compiler may import only diagnostics')]);
    const media = await restricted('src/media/planted.ts', "import type { Backend } from '../backends/backend.js';\nexport type B = Backend;\n");
    expect(media.messages).toEqual([expect.stringContaining('src/media may import only io, diagnostics')]);
    const runner = await restricted('src/runner/planted.ts', "import { pollDelayMs } from '../backends/dashscope/poll-schedule.js';\nexport const d = pollDelayMs;\n");
    expect(runner.messages).toEqual([expect.stringContaining('only through the Backend interface')]);
  });

  it('enforces the whole layer table', async () => {
    const folders = Object.keys(ALLOWED);
    for (const from of folders) {
      const targets = folders.filter((to) => to !== from);
      // backends/backend.ts: the one file of backends the runner may import
      const text = targets.map((to) => `import '../${to}/${to === 'backends' ? 'backend' : 'planted'}.js';`).join('\n');
      const { lines } = await restricted(`src/${from}/planted.ts`, text);
      const refused = [...new Set(lines)].map((line) => targets[line - 1]);
      expect({ from, refused }).toEqual({ from, refused: targets.filter((to) => !ALLOWED[from]?.includes(to)) });
    }
  });
});
