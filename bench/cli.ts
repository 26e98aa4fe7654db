// bench/cli: the `storyboard` command as a user runs it, whole processes of the built CLI (bin/ runs dist/, so
// `npm run build` first). Each case against `node -e 0` in the same run, alternating which goes first, medians
// of 5: `--version` < 0.10 s; `validate` of a small example < 0.15 s; `validate` of the generated 1,000-shot
// storyboard < 0.30 s and < 150 MB peak. Peak memory and CPU time come from separate runs that report them.
// Usage: node --import tsx bench/cli.ts [path of another bin/storyboard.js, e.g. an older build to compare]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { generateStoryboard } from './generate-storyboard.js';
import { median, pairedSeconds, report } from './measure.js';

const RUNS = 5;
const bin = resolve(process.argv[2] ?? 'bin/storyboard.js');
if (!existsSync(join(dirname(bin), '..', 'dist', 'src', 'cli', 'main.js'))) throw new Error(`no build next to ${bin}: run npm run build first`);

/** What a process reports about itself at exit: peak resident memory and CPU time (user + system). */
interface Usage { peakMiB: number; cpuSeconds: number }

// printed at exit by the measured process itself; only the usage runs carry this hook, never the timed ones
const HOOK = 'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nusage="+u.maxRSS+","+(u.userCPUTime+u.systemCPUTime)+"\\n")})';

/** Runs node with `args` to its end (for its wall time). */
async function run(args: readonly string[]): Promise<void> {
  await spawnNode(args);
}

/** Runs node with `args` for the memory and CPU time it reports (CPU time varies less with the machine's load). */
async function usage(args: readonly string[]): Promise<Usage> {
  const m = /usage=(\d+),(\d+)/.exec(await spawnNode(['--import', HOOK, ...args], true));
  return { peakMiB: Number(m?.[1] ?? NaN) / 1024, cpuSeconds: Number(m?.[2] ?? NaN) / 1e6 };
}

function spawnNode(args: readonly string[], keepStderr = false): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', keepStderr ? 'pipe' : 'ignore'] });
    let err = '';
    child.stderr?.on('data', (b: Buffer) => void (err += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(err) : fail(new Error(`node ${args.join(' ')} exited with ${code}`))));
  });
}

const dir = await mkdtemp(join(tmpdir(), 'storyboard-bench-cli-'));
try {
  const large = join(dir, 'shots-1000.yaml');
  await writeFile(large, generateStoryboard(1000));
  const cases = [
    { name: 'version', args: [bin, '--version'], targetS: 0.1 },
    { name: 'validate-small', args: [bin, 'validate', 'storyboards/detective-wan27.yaml'], targetS: 0.15 },
    { name: 'validate-1000-shots', args: [bin, 'validate', large], targetS: 0.3, targetMiB: 150 },
  ];
  const node = ['-e', '0'];
  await run(node); // warms the file-system cache for the first case like for the others
  for (const c of cases) {
    await run(c.args);
    const t = await pairedSeconds(RUNS, () => run(c.args), () => run(node));
    const used: Usage[] = [];
    const nodeUsed: Usage[] = [];
    for (let i = 0; i < RUNS; i++) {
      used.push(await usage(c.args));
      nodeUsed.push(await usage(node));
    }
    const peakMiB = median(used.map((u) => u.peakMiB));
    const cpuSeconds = median(used.map((u) => u.cpuSeconds));
    const nodeCpuSeconds = median(nodeUsed.map((u) => u.cpuSeconds));
    report({
      bench: `cli ${c.name}`, seconds: t.subject, nodeSeconds: t.baseline, overNodeSeconds: t.subject - t.baseline, ratio: t.ratio,
      cpuSeconds, nodeCpuSeconds, overNodeCpuSeconds: cpuSeconds - nodeCpuSeconds, peakMiB, nodePeakMiB: median(nodeUsed.map((u) => u.peakMiB)),
      targets: `s < ${c.targetS}${c.targetMiB ? `, peak < ${c.targetMiB} MiB` : ''}`,
      met: t.subject < c.targetS && (!c.targetMiB || peakMiB < c.targetMiB),
    });
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
