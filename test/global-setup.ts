/**
 * Compiles dist/ once before the tests, so the end-to-end tests that start the
 * bot with `npm start` (which runs dist/) do not each compile it at once.
 */
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from './helpers/context.ts';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
}
