import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
const text = readFileSync(process.argv[2]!, 'utf8');
const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' });
console.log(doc.errors.length, doc.errors.slice(0, 5).map((e) => [e.code, e.name, e.message.slice(0, 100), e.pos]));
console.log(doc.warnings.length);
