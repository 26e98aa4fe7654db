// Runs the benchmarks, each in a fresh Node process (so peak memory is its own), and prints their results.
// Usage: npm run bench [-- name…]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ALL = ['cli', 'validate', 'compile', 'scheduler', 'preview', 'stitch', 'grade', 'verify', 'remote', 'soak'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
for (const name of wanted) {
  const file = `bench/${name}.ts`;
  if (!existsSync(file)) continue;
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) {
    process.stdout.write(`${name}: failed (exit ${r.status})\n`);
    process.exitCode = 1;
    continue;
  }
  for (const line of r.stdout.trim().split('\n')) {
    const res = JSON.parse(line) as Record<string, unknown>;
    const fields = Object.entries(res).filter(([k]) => k !== 'bench').map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toFixed(3)) : String(v)}`);
    process.stdout.write(`${String(res.bench)}: ${fields.join('  ')}\n`);
  }
}
