#!/usr/bin/env node
// `npm start`: builds what is stale and opens the Electron window. Where the Electron binary is
// not installed (ELECTRON_SKIP_BINARY_DOWNLOAD, CI, servers) it says so and names the headless mode.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

let electronPath = null;
try {
  const resolved = require('electron');
  if (typeof resolved === 'string' && existsSync(resolved)) electronPath = resolved;
} catch {
  electronPath = null;
}
if (!electronPath) {
  console.error(
    'The Electron binary is not installed on this machine, so the window cannot open; run the station headless instead with: npm run serve -- --sim 6 --port 8080',
  );
  process.exit(1);
}
execFileSync(process.execPath, [join(root, 'scripts', 'build-if-stale.mjs')], { stdio: 'inherit' });
const child = spawn(electronPath, [join(root, 'dist', 'electron', 'main.js')], {
  stdio: 'inherit',
});
child.on('exit', (code) => process.exit(code ?? 0));
