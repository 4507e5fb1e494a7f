// Flat ESLint config. The rule that matters most: `shared/` stays pure TypeScript, importable by the
// main process, the renderer, the worker and the command line alike.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const platformImports = [
  { group: ['electron', 'electron/*'], message: 'shared/ must not import Electron: keep it pure.' },
  { group: ['node:*'], message: 'shared/ must not import Node built-ins: keep it pure.' },
  { group: ['react', 'react/*', 'react-dom', 'react-dom/*'], message: 'shared/ must not import React.' },
  { group: ['dexie', 'dexie/*', 'dexie-react-hooks'], message: 'shared/ must not import Dexie: storage lives in renderer/db.' },
  { group: ['**/renderer/**', '**/electron/**'], message: 'shared/ must not reach into renderer/ or electron/.' },
];
const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'stream', 'zlib', 'http', 'https', 'net', 'url', 'util', 'buffer', 'events', 'worker_threads', 'readline'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-electron/', 'dist-cli/', 'release/', 'test-results/', 'playwright-report/', 'resources/demo/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description', 'ts-ignore': true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Raw HTML from exports is never rendered.' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltins.map((name) => ({ name, message: 'shared/ must not import Node built-ins: keep it pure.' })), patterns: platformImports }],
      // DOM and Node globals are not part of the shared runtime contract.
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'indexedDB', 'process', 'Buffer', '__dirname', 'require'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron', 'electron/*', 'node:*'], message: 'The renderer is sandboxed: talk to main through renderer/api only.' }] }],
    },
  },
  {
    files: ['electron/**/*.ts', 'scripts/**/*.{ts,mjs}', 'test/**/*.ts', 'bin/**/*.mjs', '*.config.{ts,mjs}', 'cli/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
);
