// Lint: the recommended rule sets of ESLint and typescript-eslint, plus the house rules: each folder of src/
// imports only the folders below it, the compiler is pure, process control stays in the CLI (see
// ARCHITECTURE.md, DESIGN.md, STYLE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * What each folder of src/ may import: imports point down the stages (ARCHITECTURE.md, "Allowed imports").
 * test/architecture.test.ts imports this table, checks src's real import graph against it and checks
 * that this config enforces it. src/index.ts, the package entry, may import any folder.
 */
export const LAYERS = {
  cli: ['render', 'report', 'runner', 'assembly', 'backends', 'compiler', 'media', 'io', 'assets', 'diagnostics'],
  render: ['report', 'runner', 'assembly', 'backends', 'compiler', 'media', 'io', 'assets', 'diagnostics'],
  report: ['runner', 'assembly', 'compiler', 'media', 'io', 'diagnostics'],
  runner: ['backends', 'compiler', 'media', 'io', 'diagnostics'],
  assembly: ['compiler', 'media', 'io', 'diagnostics'],
  backends: ['compiler', 'media', 'io', 'assets', 'diagnostics'],
  compiler: ['diagnostics'],
  media: ['io', 'diagnostics'],
  assets: ['io', 'diagnostics'],
  io: ['diagnostics'],
  diagnostics: [],
};

const PURE_COMPILER = { group: ['node:fs', 'node:fs/*', 'fs', 'fs/*', 'node:child_process', 'child_process', 'node:net', 'node:http', 'node:https', 'undici', 'node:process', 'node:os'], message: 'The compiler is pure: no fs, network, child processes or process.' };
const SPAWN = { group: ['node:child_process', 'child_process'], message: 'Only src/media/ffmpeg.ts spawns processes (runFfmpeg, spawnTool).' };
const UNDICI = { group: ['undici', 'undici/*'], message: 'Only the DashScope backend (src/backends/dashscope/) uses undici.' };
const RUNNER_BACKENDS = { regex: '^(\\.\\./)+backends/(?!backend\\.js$)', message: 'The runner knows backends only through the Backend interface (src/backends/backend.ts).' };

/** The folders `folder` may not import, as a pattern of relative import paths. */
function layerPattern(folder) {
  const allowed = LAYERS[folder];
  const forbidden = Object.keys(LAYERS).filter((f) => f !== folder && !allowed.includes(f));
  return {
    regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
    message: `src/${folder} may import only ${allowed.length ? allowed.join(', ') : 'nothing else in src'} (ARCHITECTURE.md, "Allowed imports").`,
  };
}

/** The `no-restricted-imports` block of the files of `folder` (one block per file set: options do not merge). */
function importRules(files, folder, { spawn = false, undici = false } = {}) {
  const patterns = [
    ...(folder ? [layerPattern(folder)] : []),
    ...(folder === 'compiler' ? [PURE_COMPILER] : []),
    ...(folder === 'runner' ? [RUNNER_BACKENDS] : []),
    ...(spawn ? [] : [SPAWN]),
    ...(undici ? [] : [UNDICI]),
  ];
  return { files, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.d.ts', 'test/**/out/**', 'src/**/*.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use string-literal unions, not enum.' }],
    },
  },
  importRules(['src/*.ts'], undefined),
  ...Object.keys(LAYERS).map((folder) => importRules([`src/${folder}/**/*.ts`], folder)),
  importRules(['src/media/ffmpeg.ts'], 'media', { spawn: true }),
  importRules(['src/backends/dashscope/**/*.ts'], 'backends', { undici: true }),
  {
    files: ['src/compiler/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: 'The compiler is pure: no process.' }, { name: 'fetch', message: 'The compiler is pure: no network.' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/main.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Only src/cli/main.ts ends the process.' }],
    },
  },
  { files: ['bin/**/*.js', 'eslint.config.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
