// Makes src/compiler/schema-validator.generated.ts: the storyboard JSON Schema compiled by ajv into a plain
// module at build time, so the CLI does not load ajv and compile the schema on every start.
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import standalone from 'ajv/dist/standalone/index.js';

/** The ajv options of the storyboard validator; check-schema.ts builds its diagnostics from errors made with these. */
export const VALIDATOR_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true };

/** The file the generated validator is written to, relative to the repository's root. */
export const VALIDATOR_FILE = 'src/compiler/schema-validator.generated.ts';

/**
 * The source of the validator module for `schema`: ajv's standalone code (the same function `ajv.compile`
 * builds in memory), its runtime helpers imported as ES modules, exported as `validateStoryboardSchema`. Pure.
 */
export function validatorSource(schema: object): string {
  const ajv = new Ajv2020({ ...VALIDATOR_OPTIONS, code: { source: true, esm: true, lines: true } });
  // the function is both the module and its `default`: this reads the same under Node, tsx and vitest
  const code = standalone.default(ajv, ajv.compile(schema));
  // ajv's ESM output still calls require() for its runtime helpers (e.g. ucs2length for maxLength): import them
  const helpers = new Map<string, string>();
  const body = code
    .replace(/^"use strict";\nexport const validate = (\w+);\nexport default \w+;\n/, (_: string, name: string) => `const validateSchema = ${name};\n`)
    .replace(/require\("(ajv\/dist\/runtime\/[\w-]+)"\)\.default/g, (_: string, module: string) => {
      if (!helpers.has(module)) helpers.set(module, `runtime${helpers.size}`);
      return helpers.get(module) ?? '';
    });
  if (!body.startsWith('const validateSchema = ') || body.includes('require(')) throw new Error('ajv standalone code has an unexpected shape: update scripts/validator-source.ts');
  return [
    '// @ts-nocheck',
    '// Generated from schemas/storyboard.schema.json by scripts/generate-validator.ts (ajv standalone code): do not edit by hand.',
    "import type { ValidateFunction } from 'ajv/dist/2020.js';",
    ...[...helpers].map(([module, name]) => `import ${name}Module from '${module}.js';`),
    // Node imports a CommonJS module as its `module.exports`, vitest as its `exports.default`
    ...[...helpers].map(([, name]) => `const ${name} = ${name}Module.default ?? ${name}Module;`),
    '',
    body.trimEnd(),
    '',
    '/** Validates a value against the storyboard JSON Schema; its `errors` are ajv error objects (allErrors, verbose). */',
    'export const validateStoryboardSchema = validateSchema as ValidateFunction;',
    '',
  ].join('\n');
}
