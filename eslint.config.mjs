// ESLint flat config. The import restrictions enforce the invariants in docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const lspAndEditor = [
  'vscode',
  'vscode-languageserver',
  'vscode-languageserver/*',
  'vscode-languageclient',
  'vscode-languageclient/*',
];
const io = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
  'snowflake-sdk',
];

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', '.scratch/**', '.vscode-test/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'max-lines': ['warn', { max: 500, skipBlankLines: true, skipComments: true }],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.object.name=/^(it|describe|test)$/][callee.property.name=/^(only|skip)$/]',
          message: 'A skipped or exclusive test proves nothing; remove .only/.skip.',
        },
      ],
    },
  },
  {
    // Invariant: only client/ imports vscode (and the tests that run inside VS Code itself).
    files: ['server/**/*.ts', 'rules/**/*.ts', 'test/**/*.ts', 'scripts/**/*'],
    ignores: ['test/vscode/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Only client/ may import vscode.' }] },
      ],
    },
  },
  {
    // Invariant: the engine and the rules know nothing of LSP or VS Code and do no I/O.
    files: ['server/src/engine/**/*.ts', 'rules/**/*.ts'],
    ignores: ['rules/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...lspAndEditor, ...io].map((name) => ({
            name,
            message:
              'The engine and rules are pure: no LSP, editor, file system or network imports.',
          })),
          patterns: [
            {
              group: ['vscode-languageserver*', 'vscode-languageclient*'],
              message: 'The engine has no LSP dependency.',
            },
            {
              group: ['**/lsp/**', '**/cli/**', '**/node/**'],
              message: 'The engine must not depend on its faces.',
            },
          ],
        },
      ],
      'no-console': 'error',
    },
  },
  {
    // The server logs through its Logger, never the console (stdout is the LSP channel).
    files: ['server/src/lsp/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
