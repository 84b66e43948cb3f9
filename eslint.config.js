// ESLint (flat config): the layering rules of the codebase, checked. Formatting is Prettier's job
// (`npm run format`); this file holds only rules that catch real mistakes.
import tseslint from 'typescript-eslint'
import importX from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'

export default tseslint.config(
  { ignores: ['build/**', 'public/build/**', '.cache/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'data/**'] },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    plugins: { 'import-x': importX, '@typescript-eslint': tseslint.plugin },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      'no-debugger': 'error',
      'no-dupe-keys': 'error',
      'no-self-assign': 'error',
      'no-unreachable': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
      'import-x/no-self-import': 'error',
      // Layers: workers/ are processes built on app/; db/ is below both.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './app',
              from: './workers',
              message: 'app/ must not import workers/: move what both need into app/ (queues and connection live in app/jobs/).',
            },
            { target: './db', from: './app', message: 'db/ must not import app/: the schema and migrations stand alone.' },
            { target: './db', from: './workers', message: 'db/ must not import workers/.' },
          ],
        },
      ],
    },
  },
  {
    // Pure modules (no `.server` in the name, not routes or entry points) never import server modules:
    // whatever they export can end up in the browser bundle, where a `.server` import is undefined.
    files: ['app/**/*.{ts,tsx}'],
    ignores: ['app/**/*.server.{ts,tsx}', 'app/routes/**', 'app/root.tsx', 'app/cli/**', 'app/entry.server.tsx', 'app/**/*.test.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/*.server', '**/*.server.ts', '**/*.server.tsx'],
              allowTypeImports: true,
              message: 'A pure module must not import a .server module (it would be undefined in the browser); a type import is fine.',
            },
          ],
        },
      ],
    },
  },
)
