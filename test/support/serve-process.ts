import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');
export const bin = path.join(root, 'bin/aftersales.mjs');

/** The AUTH_SECRET test processes on PostgreSQL run with (the same as test/support/app.ts's). */
export const SERVE_AUTH_SECRET = 'test-auth-secret-of-at-least-32-characters';

/**
 * Starts `aftersales serve` as a user would, and waits for the URLs it prints: `publicUrl`, the one it
 * tells people to open (PUBLIC_URL), and `url`, the one it listens on (what a test can always reach).
 * On PostgreSQL it is given an AUTH_SECRET, as a real one must be, unless the test says otherwise, and
 * runs one process unless the test sets WORKERS.
 */
export function startServe(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; publicUrl: string; output: () => string }> {
  // One process unless the test asks for a cluster: a SIGKILL then kills the server, not its primary.
  const merged: NodeJS.ProcessEnv = { ...process.env, WORKERS: '1', ...env };
  if (merged.DATABASE_URL && !('AUTH_SECRET' in env)) merged.AUTH_SECRET ??= SERVE_AUTH_SECRET;
  const child = spawn(process.execPath, [bin, 'serve'], {
    cwd: root,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not print its URL in time:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /serving on (https?:\/\/\S+) \(listening on (http:\/\/[^;\s]+);/.exec(output);
      if (m?.[1] && m[2]) {
        clearTimeout(timer);
        resolve({ child, url: m[2], publicUrl: m[1], output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${String(code)}:\n${output}`));
    });
  });
}

export function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => {
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}
