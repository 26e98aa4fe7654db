// Writes src/compiler/schema-validator.generated.ts from the storyboard schema (run by `npm run build`).
// Run: node --import tsx scripts/generate-validator.ts   (test/schema-validator.test.ts fails while the file is stale)
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VALIDATOR_FILE, validatorSource } from './validator-source.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = JSON.parse(await readFile(join(root, 'schemas', 'storyboard.schema.json'), 'utf8')) as object;
const target = join(root, VALIDATOR_FILE);
const text = validatorSource(schema);
const current = await readFile(target, 'utf8').catch(() => undefined);
if (current !== text) {
  await writeFile(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
