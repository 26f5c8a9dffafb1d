/**
 * The operator's path from SQLite to a shared database: `npm run export -- <dir>`
 * on the old STORE_URL, then `npm run import -- <dir>` on the new one.
 */
import { execFile } from 'node:child_process';
import { exportScript } from '../../../scripts/export.ts';
import { importScript } from '../../../scripts/import.ts';
import { runStore } from '../../../scripts/store-script.ts';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { newNoteId, openNoteStore, redactUrl, silentLogger, type Note } from '../../../src/core/index.ts';
import { botEnv } from '../../helpers/bot-process.ts';
import { REPO_ROOT, makeTempDir } from '../../helpers/context.ts';
import { announceSkip, createTestStore, type StoreKind } from '../../helpers/servers.ts';

const exec = promisify(execFile);

/**
 * Runs `npm run <script> -- <args>`: through npm when `viaNpm`; else the
 * script's own function in this process, with the environment it would get
 * (each npm run of a tsx script costs about a second of CPU on a shared machine).
 */
async function npmRun(
  script: 'export' | 'import',
  args: string[],
  storeUrl: string,
  viaNpm = false,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = botEnv({ STORE_URL: storeUrl });
  if (!viaNpm) {
    let stdout = '';
    let stderr = '';
    const output = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } };
    const code = await runStore(script === 'export' ? exportScript : importScript, args, env, output);
    return { code, stdout, stderr };
  }
  try {
    const { stdout, stderr } = await exec('npm', ['run', '--silent', script, '--', ...args], { cwd: REPO_ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function note(text: string, tags: string[] = []): Note {
  return {
    id: newNoteId(),
    text,
    tags,
    author: { platform: 'slack', id: 'U024BE7LH', name: 'owner' },
    source: { platform: 'slack', channel: 'C1', permalink: 'https://example.slack.com/archives/C1/p1' },
    createdAt: new Date().toISOString(),
  };
}

const sortById = (notes: Note[]) => [...notes].sort((a, b) => a.id.localeCompare(b.id));

describe('npm run export / import', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('asks for the folder when none is given', async () => {
    const source = await createTestStore('sqlite');
    cleanups.push(() => source.cleanup());
    const result = await npmRun('export', [], source.url, true);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('export: which folder? — try npm run export -- backup/notes');
    const missing = await npmRun('import', [path.join(source.url.replace('sqlite://', ''), 'nowhere')], source.url, true);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^import: .*nowhere is not a folder\n$/);
  });

  it('says in one line, without a stack, when the folder is a file', async () => {
    const source = await createTestStore('sqlite');
    cleanups.push(() => source.cleanup());
    // npm runs the script in the repository root, where package.json is a file.
    expect(await npmRun('export', ['package.json'], source.url)).toEqual({ code: 1, stdout: '', stderr: 'export: package.json is not a folder\n' });
    expect(await npmRun('export', ['package.json/notes'], source.url)).toEqual({ code: 1, stdout: '', stderr: 'export: package.json/notes is not a folder\n' });
    expect(await npmRun('import', ['package.json'], source.url)).toEqual({ code: 1, stdout: '', stderr: 'import: package.json is not a folder\n' });
    const down = await npmRun('export', ['backup'], 'postgresql://tinker@127.0.0.1:1/notes');
    expect(down).toMatchObject({ code: 1, stdout: '' });
    expect(down.stderr).toMatch(/^export: STORE_URL: cannot connect to postgresql:\/\/tinker@127\.0\.0\.1:1\/notes \([^\n]+\)\n$/);
  });

  it('refuses a folder that holds an older export, so a backup never brings back a forgotten note', { timeout: 60_000 }, async () => {
    const source = await createTestStore('sqlite');
    cleanups.push(() => source.cleanup());
    const [kept, forgotten] = [note('kept #backup'), note('forgotten since #backup')];
    const writer = await openNoteStore(source.url, { logger: silentLogger() });
    await writer.put(kept);
    await writer.put(forgotten);
    const root = await makeTempDir('tinker-cli-backup-');
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const backup = path.join(root, 'notes');
    expect(await npmRun('export', [backup], source.url)).toMatchObject({ code: 0, stdout: `export: wrote 2 notes from ${source.url} to ${backup}\n` });

    expect(await writer.delete(forgotten.id)).toBe(true);
    await writer.close();
    // The same folder again: refused, and the old backup is left as it was.
    expect(await npmRun('export', [backup], source.url)).toEqual({
      code: 1,
      stdout: '',
      stderr: `export: ${backup} is not empty (2 entries) — export into a new or empty folder, so the backup holds exactly the notes there are now\n`,
    });
    expect((await readdir(backup)).sort()).toEqual([`${forgotten.id}.md`, `${kept.id}.md`].sort());
    // A new folder holds exactly the notes there are now; an empty one is fine too.
    const fresh = path.join(root, 'notes-2');
    expect(await npmRun('export', [fresh], source.url)).toMatchObject({ code: 0 });
    expect(await readdir(fresh)).toEqual([`${kept.id}.md`]);
    const empty = await makeTempDir('tinker-cli-empty-');
    cleanups.push(() => rm(empty, { recursive: true, force: true }));
    expect(await npmRun('export', [empty], source.url)).toMatchObject({ code: 0 });
    expect(await readdir(empty)).toEqual([`${kept.id}.md`]);
    // Nothing else is left beside them (the export is written aside, then moved into place).
    expect((await readdir(root)).sort()).toEqual(['notes', 'notes-2']);
  });

  it('says what a note id is made of when a hand-written file has one that is not, and that leaving it out works', async () => {
    const destination = await createTestStore('sqlite');
    cleanups.push(() => destination.cleanup());
    const folder = await makeTempDir('tinker-cli-handwritten-');
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    // Ten letters and digits, but o and i are not in the id alphabet.
    await writeFile(path.join(folder, 'old1.md'), '---\nid: oldpriv001\ndate: 2024-03-01\n---\n\nan old private note\n');
    const label = redactUrl(destination.url);
    expect(await npmRun('import', [folder], destination.url)).toEqual({
      code: 1,
      stdout: `import: 0 imported, 0 already there, 1 unreadable — into ${label}\n`,
      stderr: `import: skipped old1.md: "oldpriv001" is not a note id (10 of 0-9 and a-z except i, l, o, u); leave the id: line out to have one made from the note's date and text\n`,
    });
    await writeFile(path.join(folder, 'old1.md'), '---\ndate: 2024-03-01\n---\n\nan old private note\n');
    expect(await npmRun('import', [folder], destination.url)).toEqual({ code: 0, stdout: `import: 1 imported, 0 already there, 0 unreadable — into ${label}\n`, stderr: '' });
  });

  for (const kind of ['sqlite', 'redis', 'postgres'] as StoreKind[]) {
    const skipped = announceSkip(kind, 'moving notes from SQLite with npm run export / import');
    it.skipIf(skipped)(`moves every note from SQLite to ${kind}; importing twice adds nothing`, { timeout: 60_000 }, async () => {
      const source = await createTestStore('sqlite');
      cleanups.push(() => source.cleanup());
      const notes = [note('first note #migrate', ['migrate']), note('second: "quoted" and\nmultiline'), note('third 🎉')];
      const writer = await openNoteStore(source.url, { logger: silentLogger() });
      for (const n of notes) await writer.put(n);
      await writer.close();

      const folder = await makeTempDir('tinker-cli-export-');
      cleanups.push(() => rm(folder, { recursive: true, force: true }));
      const exported = await npmRun('export', [folder], source.url);
      expect(exported.stderr).toBe('');
      expect(exported.stdout).toBe(`export: wrote 3 notes from ${source.url} to ${folder}\n`);
      expect((await readdir(folder)).sort()).toEqual(notes.map((n) => `${n.id}.md`).sort());
      expect(await readFile(path.join(folder, `${notes[0]!.id}.md`), 'utf8')).toMatch(/^---\ntitle: "first note #migrate"\ndate: /);

      const destination = await createTestStore(kind);
      cleanups.push(() => destination.cleanup());
      const label = redactUrl(destination.url);
      const first = await npmRun('import', [folder], destination.url);
      expect(first).toMatchObject({ code: 0, stdout: `import: 3 imported, 0 already there, 0 unreadable — into ${label}\n` });
      const second = await npmRun('import', [folder], destination.url);
      expect(second).toMatchObject({ code: 0, stdout: `import: 0 imported, 3 already there, 0 unreadable — into ${label}\n` });

      const reader = await openNoteStore(destination.url, { logger: silentLogger() });
      try {
        expect(sortById(await reader.loadAll())).toEqual(sortById(notes));
      } finally {
        await reader.close();
      }
    });
  }
});
