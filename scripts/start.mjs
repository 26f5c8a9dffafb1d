/**
 * `npm start`: brings dist/ up to date with the sources (see build.mjs), then
 * runs the bot from it.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, describeBuildError, ensureBuilt } from './build.mjs';

try {
  await ensureBuilt();
} catch (error) {
  process.stderr.write(`tinker: could not compile the sources:\n${describeBuildError(error)}\n`);
  process.exit(1);
}
// Stack traces in logs point at the TypeScript sources, not the bundle.
process.setSourceMapsEnabled(true);
await import(pathToFileURL(path.join(DIST, 'main.js')).href);
