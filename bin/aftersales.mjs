#!/usr/bin/env node
// In a clone (sources and dev tools present) run the TypeScript directly, so the command never runs a
// stale build; an installed package without tsx runs the compiled dist/.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
let hasTsx = false;
try {
  require.resolve('tsx/esm/api');
  hasTsx = true;
} catch {
  hasTsx = false;
}

if (hasTsx && existsSync(`${root}src/cli.ts`)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(`${root}src/cli.ts`).href);
} else if (existsSync(`${root}dist/src/cli.js`)) {
  await import(pathToFileURL(`${root}dist/src/cli.js`).href);
} else {
  console.error('aftersales: not built; run `npm run build` first.');
  process.exit(1);
}
