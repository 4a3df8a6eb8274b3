import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'url', 'stream'];

// The layers of db/, bottom to top: core, the domains, the host. A domain uses core and the
// domains it is listed with here, never the host; core uses nothing above it.
const DB_DOMAINS = {
  model: [],
  evidence: ['model'],
  graph: [],
  reports: ['model'],
  exchange: ['model', 'share'],
  share: [],
  merge: ['model', 'share'],
  screening: ['model', 'evidence'],
};
const dbLayerRules = [
  {
    files: ['db/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/host/**', ...Object.keys(DB_DOMAINS).map((d) => `**/${d}/**`)], message: 'db/core is the bottom layer: it imports no domain and not the host.' }] }],
    },
  },
  ...Object.entries(DB_DOMAINS).map(([domain, uses]) => ({
    files: [`db/${domain}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/host/**'], message: 'A domain never imports the host (registry, worker, workspace); the host imports the domains.' },
            ...(() => {
              const others = Object.keys(DB_DOMAINS).filter((d) => d !== domain && !uses.includes(d));
              return others.length ? [{ group: others.map((d) => `**/${d}/**`), message: `db/${domain} may use db/core${uses.length ? ` and ${uses.map((u) => `db/${u}`).join(', ')}` : ''} only.` }] : [];
            })(),
          ],
        },
      ],
    },
  })),
];

// The renderer's layers: ui at the bottom, a folder per domain, the shell on top. Domains share only through ui.
const RENDERER_DOMAINS = ['evidence', 'model', 'graph', 'reports', 'exchange', 'history', 'screening'];
const rendererBase = [
  { group: ['**/electron/**', 'electron', 'electron/*'], message: 'The renderer must not import Electron code; use the API client.' },
  { group: ['**/db/**', 'better-sqlite3'], message: 'The renderer must not import database code; call an operation.' },
  { group: [...nodeBuiltins, '**/cli/**'], message: 'The renderer runs in a browser: no Node modules.' },
];
const rendererLayerRules = [
  {
    files: ['renderer/src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...rendererBase, { group: ['**/shell/**', ...RENDERER_DOMAINS.map((d) => `**/${d}/**`)], message: 'renderer/src/ui is the bottom layer: it imports no domain and not the shell.' }] }],
    },
  },
  ...RENDERER_DOMAINS.map((domain) => ({
    files: [`renderer/src/${domain}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...rendererBase, { group: ['**/shell/**', ...RENDERER_DOMAINS.filter((d) => d !== domain).map((d) => `**/${d}/**`)], message: `renderer/src/${domain} shares with other domains only through renderer/src/ui.` }] },
      ],
    },
  })),
];

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
      'no-restricted-imports': ['error', { patterns: rendererBase }],
    },
  },
  {
    // Only the two classic hook rules: the compiler-oriented rules of the plugin's presets are not adopted.
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  ...rendererLayerRules,
  ...dbLayerRules,
  {
    // The doors (the Electron main process and the command line) are thin: they call operations.
    files: ['cli/**/*.ts', 'electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/**', '!**/db/host', '!**/db/host/**'],
              message:
                'A door reaches the database only through db/host: operations (runCaseOperation, the workspace, the case worker) and the host functions for case files. That way every call is validated against the contract and writes through the one write path, and the domains keep their internals to themselves.',
            },
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
