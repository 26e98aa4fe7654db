// Child process for the kill -9 test: runs a plan with a slow fake remote backend that logs every submission.
// Usage: node --import tsx test/helpers/resumable-run.ts <workspace-dir> <log-file> <storyboard-file>
import { readFileSync } from 'node:fs';
import { fakeBackend } from './fake-backend.js';
import { planOf, workspace } from './run-fixture.js';

const [dir, log, storyboard] = process.argv.slice(2);
if (!dir || !log || !storyboard) throw new Error('usage: resumable-run <dir> <log> <storyboard>');
const ws = await workspace(dir);
const result = await ws.run(planOf(readFileSync(storyboard, 'utf8')), fakeBackend({ delayMs: 1200, log, concurrency: 3 }));
process.stdout.write(JSON.stringify({ done: [...result.results.keys()].sort(), failures: result.failures.length }) + '\n');
