import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'url', 'stream'];

export default tseslint.config(
  { ignores: ['dist/**', 'dist.next/**', 'release/**', 'node_modules/**', '.electron-native/**', '.scratch/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // The renderer talks only to the API client: no Node, no Electron, no database code.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/electron/**', 'electron', 'electron/*'], message: 'The renderer must not import Electron code; use the API client.' },
            { group: ['**/db/**', 'better-sqlite3'], message: 'The renderer must not import database code; call an operation.' },
            { group: [...nodeBuiltins, '**/cli/**'], message: 'The renderer runs in a browser: no Node modules.' },
          ],
        },
      ],
    },
  },
  {
    // shared/ is pure: used by every runtime, so it imports nothing with side effects or a runtime of its own.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/electron/**', 'electron', '**/db/**', '**/cli/**', '**/renderer/**', 'better-sqlite3', 'react', 'react-dom'], message: 'shared/ must stay pure.' },
            { group: nodeBuiltins, message: 'shared/ runs in the browser too: no Node modules.' },
          ],
        },
      ],
    },
  },
  {
    // IPC handlers are registered only through the checked wrapper; the raw renderer IPC lives only in the preload.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['electron/ipc.ts', 'electron/preload.ts', 'tests/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: "CallExpression[callee.property.name='handle'][callee.object.name='ipcMain']", message: 'Register operations through electron/ipc.ts, which checks the sender and validates input.' },
        { selector: "Identifier[name='ipcRenderer']", message: 'Only the preload may touch ipcRenderer.' },
      ],
    },
  },
  {
    files: ['vite.config.mts', 'vitest.config.mts', 'eslint.config.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
