/**
 * The one STORE_URL parser (config and the store opener both use it), and the
 * opener's refusal to create folders.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openNoteStore, silentLogger } from '../../../src/core/index.ts';
import { parseStoreUrl, redactUrl } from '../../../src/core/store/store-url.ts';
import { makeTempDir } from '../../helpers/context.ts';

const context = { cwd: '/work/project', home: '/home/ada' };

describe('parseStoreUrl', () => {
  it('reads every kind of store', () => {
    expect(parseStoreUrl('memory://', context)).toEqual({ ok: true, target: { kind: 'memory' } });
    expect(parseStoreUrl('memory:', context)).toEqual({ ok: true, target: { kind: 'memory' } });
    expect(parseStoreUrl('sqlite:///var/lib/tinker/notes.sqlite', context)).toEqual({ ok: true, target: { kind: 'sqlite', file: '/var/lib/tinker/notes.sqlite' } });
    expect(parseStoreUrl('redis://:pw@cache:6379/2', context)).toEqual({ ok: true, target: { kind: 'redis', url: 'redis://:pw@cache:6379/2' } });
    expect(parseStoreUrl('rediss://cache:6380', context)).toEqual({ ok: true, target: { kind: 'redis', url: 'rediss://cache:6380' } });
    expect(parseStoreUrl('postgres://u:p@db/notes', context)).toEqual({ ok: true, target: { kind: 'postgres', url: 'postgres://u:p@db/notes' } });
    expect(parseStoreUrl(' postgresql://u@db:5432/notes ', context)).toEqual({ ok: true, target: { kind: 'postgres', url: 'postgresql://u@db:5432/notes' } });
    expect(parseStoreUrl('SQLite://data/notes.sqlite', context)).toEqual({ ok: true, target: { kind: 'sqlite', file: '/work/project/data/notes.sqlite' } });
  });

  it('takes a relative sqlite path from the working directory, with or without //', () => {
    expect(parseStoreUrl('sqlite://data/notes.sqlite', context)).toEqual({ ok: true, target: { kind: 'sqlite', file: '/work/project/data/notes.sqlite' } });
    expect(parseStoreUrl('sqlite:notes.sqlite', context)).toEqual({ ok: true, target: { kind: 'sqlite', file: '/work/project/notes.sqlite' } });
  });

  it('expands ~/ to the home folder, refuses ~user, never makes "~" a folder name', () => {
    expect(parseStoreUrl('sqlite://~/notes.sqlite', context)).toEqual({ ok: true, target: { kind: 'sqlite', file: '/home/ada/notes.sqlite' } });
    expect(parseStoreUrl('sqlite://~/kb/notes.sqlite', context)).toEqual({ ok: true, target: { kind: 'sqlite', file: '/home/ada/kb/notes.sqlite' } });
    expect(parseStoreUrl('sqlite://~bob/notes.sqlite', context)).toEqual({
      ok: false,
      problem: 'STORE_URL: sqlite://~bob/notes.sqlite: only ~/ (your own home folder) is understood — write the full path',
    });
  });

  it('says what is wrong, password hidden', () => {
    expect(parseStoreUrl('sqlite://', context)).toEqual({ ok: false, problem: 'STORE_URL: sqlite:// needs a file path, e.g. sqlite://data/notes.sqlite' });
    expect(parseStoreUrl('sqlite://data/', context)).toEqual({
      ok: false,
      problem: 'STORE_URL: sqlite://data/ names a folder — name the file, e.g. sqlite://data/notes.sqlite',
    });
    expect(parseStoreUrl('mysql://root:hunter2@db/x', context)).toEqual({
      ok: false,
      problem: 'STORE_URL: "mysql://root:***@db/x" is not a store URL — use sqlite://path/to/notes.sqlite, redis://host:6379 or postgresql://user:pass@host/db',
    });
    expect(parseStoreUrl('data/notes.sqlite', context)).toMatchObject({ ok: false, problem: expect.stringContaining('is not a store URL') });
    expect(parseStoreUrl('memory://x', context)).toEqual({
      ok: false,
      problem: 'STORE_URL: "memory://x" — memory:// takes no path (notes kept in memory are lost when the bot stops)',
    });
    expect(parseStoreUrl('postgresql://', context)).toEqual({ ok: false, problem: 'STORE_URL: "postgresql://" names no host — e.g. postgresql://user:password@host/dbname' });
  });

  it('hides passwords, with or without a user name', () => {
    expect(redactUrl('redis://:s3cret@cache:6379/2')).toBe('redis://:***@cache:6379/2');
    expect(redactUrl('postgresql://tinker:s3cret@db:5432/notes')).toBe('postgresql://tinker:***@db:5432/notes');
    expect(redactUrl('sqlite://data/notes.sqlite')).toBe('sqlite://data/notes.sqlite');
  });
});

describe('openNoteStore on a sqlite:// path', () => {
  const cleanups: string[] = [];
  afterEach(async () => {
    for (const dir of cleanups.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a folder that does not exist, naming it, and creates nothing', async () => {
    const root = await makeTempDir('tinker-url-');
    cleanups.push(root);
    const missing = path.join(root, 'no', 'such', 'dir');
    await expect(openNoteStore(`sqlite://${missing}/notes.sqlite`, { logger: silentLogger() })).rejects.toThrow(
      `STORE_URL: the folder ${missing} does not exist — create it, or point STORE_URL at a file in an existing folder`,
    );
    expect(await readdir(root)).toEqual([]);
  });

  it('creates the file (and nothing else) in a folder that exists', async () => {
    const root = await makeTempDir('tinker-url-');
    cleanups.push(root);
    await mkdir(path.join(root, 'kb'));
    const store = await openNoteStore(`sqlite://${path.join(root, 'kb', 'notes.sqlite')}`, { logger: silentLogger() });
    await store.close();
    expect(existsSync(path.join(root, 'kb', 'notes.sqlite'))).toBe(true);
    expect(await readdir(root)).toEqual(['kb']);
  });

  it('refuses what the parser refuses, with the same words as configuration', async () => {
    await expect(openNoteStore('mysql://x', { logger: silentLogger() })).rejects.toThrow(
      'STORE_URL: "mysql://x" is not a store URL — use sqlite://path/to/notes.sqlite, redis://host:6379 or postgresql://user:pass@host/db',
    );
  });
});
