/**
 * `npm start`: brings dist/ up to date with the sources (see build.mjs), then
 * runs the bot from it, and, under `npm start`, stops it as on SIGTERM when
 * npm's shell goes away (see watchParent).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, describeBuildError, ensureBuilt } from './build.mjs';

/** How often the parent is checked for; a check is one property read. */
const PARENT_CHECK_MS = 1000;
/** Checks after the parent went away before a bot that has not set up its SIGTERM handler yet is stopped anyway. */
const UNHANDLED_CHECKS = 10;

/**
 * `npm start` runs `sh -c "node scripts/start.mjs"`, and `kill <npm's pid>` (a
 * shell script, `timeout`, a supervisor that signals one pid) reaches npm and sh
 * but not this process, which would go on serving, holding its port and its
 * store. When the parent goes away the process is handed to another (pid 1 or a
 * subreaper), so `process.ppid` changes: then the bot is sent SIGTERM, and stops
 * as it does on SIGTERM (main.ts: adapters, watcher, store closed). Only a change
 * counts: a parent of pid 1 at start is a container's init or a supervisor, and legitimate.
 */
function watchParent() {
  const parent = process.ppid;
  let unhandled = 0;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    // main.ts handles SIGTERM once its store is open; until then the signal's default (exit) is as good, after a while.
    if (process.listenerCount('SIGTERM') === 0 && (unhandled += 1) < UNHANDLED_CHECKS) return;
    clearInterval(timer);
    process.stderr.write(`tinker: the process that started this one (pid ${parent}) is gone — stopping as on SIGTERM\n`);
    process.kill(process.pid, 'SIGTERM');
  }, PARENT_CHECK_MS);
  // The check never keeps the process alive (the console ends at the end of its input).
  timer.unref();
}

/**
 * Whether npm's `start` script runs this process: npm (7 and later, through
 * @npmcli/run-script) sets npm_lifecycle_event to the script's name and
 * npm_lifecycle_script to its command in the script's environment. Only then
 * does a new parent mean that npm's shell went away. Started any other way
 * (`node scripts/start.mjs` under a supervisor, `nohup … &`, `setsid`,
 * start-stop-daemon --background) the starter chose how the bot is parented, and
 * a launcher that exits after the spawn is not a reason to stop.
 */
function startedByNpmStart(env) {
  return env.npm_lifecycle_event === 'start' && typeof env.npm_lifecycle_script === 'string' && /\bscripts\/start\.mjs\b/.test(env.npm_lifecycle_script);
}

if (startedByNpmStart(process.env)) watchParent();

try {
  await ensureBuilt();
} catch (error) {
  process.stderr.write(`tinker: could not compile the sources:\n${describeBuildError(error)}\n`);
  process.exit(1);
}
// Stack traces in logs point at the TypeScript sources, not the bundle.
process.setSourceMapsEnabled(true);
await import(pathToFileURL(path.join(DIST, 'main.js')).href);
