// Lint: neostandard (the style the code is written in) with TypeScript, plus two project
// rules: lines stay readable (160 characters) and only src/config.ts reads the environment.
import neostandard, { resolveIgnoresFromGitignore } from 'neostandard'
import reactHooks from 'eslint-plugin-react-hooks'

export default [
  ...neostandard({
    ts: true,
    env: ['node'],
    ignores: [
      ...resolveIgnoresFromGitignore(),
      'packages/*/dist/**',
      'packages/client/src/generated/**',
      'openapi.json'
    ]
  }),
  {
    name: 'ombuds/project',
    rules: {
      'max-len': ['error', {
        code: 160,
        ignoreUrls: true,
        ignoreStrings: true,
        ignoreTemplateLiterals: true,
        ignoreRegExpLiterals: true
      }],
      'no-restricted-properties': ['error', {
        object: 'process',
        property: 'env',
        message: 'Only src/config.ts reads the environment: add a setting or a helper there.'
      }]
    }
  },
  {
    // A TypeBox schema and its Static type share a name (`const Channel` / `type Channel`);
    // real redeclarations are compile errors in TypeScript already.
    name: 'ombuds/typebox-schema-and-type',
    files: ['**/*.ts', '**/*.tsx'],
    rules: { '@typescript-eslint/no-redeclare': 'off' }
  },
  {
    name: 'ombuds/config-reads-the-environment',
    files: ['src/config.ts'],
    rules: { 'no-restricted-properties': 'off' }
  },
  {
    name: 'ombuds/console-hooks',
    files: ['packages/console/src/**/*.tsx', 'packages/console/src/**/*.ts'],
    // The two classic hook rules; the React Compiler rules of the plugin's presets are not adopted.
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' }
  }
]
