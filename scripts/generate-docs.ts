// Writes docs/format.md from the storyboard schema and the model registry.
// Run: node --import tsx scripts/generate-docs.ts   (test/format-docs.test.ts fails while the file is stale)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReference } from './format-docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = JSON.parse(await readFile(join(root, 'schemas', 'storyboard.schema.json'), 'utf8')) as object;
const target = join(root, 'docs', 'format.md');
await mkdir(dirname(target), { recursive: true });
await writeFile(target, formatReference(schema));
process.stdout.write(`wrote ${target}\n`);
