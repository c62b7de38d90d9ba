// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: ['node_modules', 'dist', 'data', 'test-results', 'src/db/migrations', 'bin', 'eslint.config.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Fastify plugins are async by contract, whether or not they await anything.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // CI fails on any skipped test (.ci/run), so a case that exists on one database only is declared
    // on it alone (`const onPostgres = … ? it : undefined`) instead of being skipped on the other.
    files: ['test/**/*.ts', 'src/**/*.test.ts', 'web/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.type='MemberExpression'][callee.object.name=/^(it|test)$/][callee.property.name=/^(skip|skipIf|runIf|todo)$/]",
          message: 'A skipped test fails CI: declare the case only where it runs.',
        },
      ],
    },
  },
  {
    // The domain core is pure: no I/O, no clock, no randomness — they are passed in.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'fs',
            'pg',
            '@electric-sql/*',
            'drizzle-orm*',
            'fastify*',
            '../../app/*',
            '../../db/*',
            '../../http/*',
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'The domain takes the time as an argument.' },
        { object: 'Math', property: 'random', message: 'The domain takes randomness as an argument.' },
        { object: 'Temporal', property: 'Now', message: 'The domain takes the time as an argument.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date']",
          message: 'The domain takes the time as an argument.',
        },
      ],
    },
  },
  prettier,
);
