import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatConfigErrors, loadConfig } from '../src/config.ts';
import { makeTempDir } from './helpers/context.ts';

function config(env: Record<string, string>) {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

describe('loadConfig', () => {
  it('defaults: ./data, SQLite file inside it, anyone may write, 5 hits, no platforms', () => {
    const c = config({});
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(c.storeUrl).toBe(`sqlite://${path.resolve('data', 'notes.sqlite')}`);
    expect(c.noteWriters).toEqual([]);
    expect(c.searchLimit).toBe(5);
    expect(c.slack).toBeUndefined();
    expect(c.discord).toBeUndefined();
  });

  it('derives the default store from DATA_DIR and treats empty values as unset', () => {
    const c = config({ DATA_DIR: tmpdir(), STORE_URL: '', SEARCH_LIMIT: ' ' });
    expect(c.storeUrl).toBe(`sqlite://${path.join(tmpdir(), 'notes.sqlite')}`);
    expect(c.searchLimit).toBe(5);
  });

  it('reads CONNECT_TIMEOUT in seconds: 30 by default, 1 to 600', () => {
    expect(config({}).connectTimeoutMs).toBe(30_000);
    expect(config({ CONNECT_TIMEOUT: '5' }).connectTimeoutMs).toBe(5000);
    expect(loadConfig({ CONNECT_TIMEOUT: '0' })).toEqual({ ok: false, errors: ['CONNECT_TIMEOUT: "0" should be a whole number from 1 to 600'] });
    expect(loadConfig({ CONNECT_TIMEOUT: '30s' })).toEqual({ ok: false, errors: ['CONNECT_TIMEOUT: "30s" should be a whole number from 1 to 600'] });
  });

  it('parses NOTE_WRITERS as platform:userId entries', () => {
    const c = config({ NOTE_WRITERS: 'slack:U024BE7LH, discord:80351110224678912,' });
    expect(c.noteWriters).toEqual(['slack:U024BE7LH', 'discord:80351110224678912']);
  });

  it('reads NOTES_VISIBLE_TO: owner by default, everyone in any case, anything else named as wrong', () => {
    expect(config({}).notesVisibleTo).toBe('owner');
    expect(config({ NOTES_VISIBLE_TO: ' ' }).notesVisibleTo).toBe('owner');
    expect(config({ NOTES_VISIBLE_TO: 'Everyone' }).notesVisibleTo).toBe('everyone');
    expect(config({ NOTES_VISIBLE_TO: 'owner' }).notesVisibleTo).toBe('owner');
    expect(loadConfig({ NOTES_VISIBLE_TO: 'all' })).toEqual({
      ok: false,
      errors: [
        'NOTES_VISIBLE_TO: "all" should be owner (the default: a note is read by whoever saved it and NOTE_WRITERS, unless shared) or everyone (every note is read by anyone who can run /find)',
      ],
    });
  });

  it('reads RESURFACE_SCHEDULE (days, a time, a time zone); absent: no digest; a bad one is named', () => {
    expect(config({}).resurfaceSchedule).toBeUndefined();
    expect(config({ RESURFACE_SCHEDULE: 'mon 09:00 Europe/Berlin' }).resurfaceSchedule).toEqual({
      days: [1],
      hour: 9,
      minute: 0,
      timeZone: 'Europe/Berlin',
      text: 'mon 09:00 Europe/Berlin',
    });
    expect(loadConfig({ RESURFACE_SCHEDULE: 'mondays at nine' })).toEqual({
      ok: false,
      errors: [
        'RESURFACE_SCHEDULE: "at" is not a time of day (HH:MM, 00:00-23:59) — e.g. mon 09:00, mon,thu 08:30 or weekdays 09:00, optionally with a time zone: mon 09:00 Europe/Berlin',
      ],
    });
  });

  it('reads ARTICLES_URL, a link template with a placeholder, and says what it should look like when it is not one', () => {
    expect(config({}).articlesUrl).toBeUndefined();
    expect(config({ ARTICLES_URL: 'https://github.com/me/notes/blob/main/{path}' }).articlesUrl).toBe('https://github.com/me/notes/blob/main/{path}');
    expect(config({ ARTICLES_URL: 'obsidian://open?vault=Notes&file={path}' }).articlesUrl).toBe('obsidian://open?vault=Notes&file={path}');
    const errors = (value: string) => {
      const result = loadConfig({ ARTICLES_URL: value });
      return result.ok ? [] : result.errors;
    };
    expect(errors('https://blog.example.org/{title}')).toEqual([
      'ARTICLES_URL: {title} is not a placeholder — use {path}, {name}, {slug} or {permalink}, e.g. https://github.com/me/notes/blob/main/{path}',
    ]);
    expect(errors('https://blog.example.org/')).toEqual([
      'ARTICLES_URL: https://blog.example.org/ names no placeholder, so every write-up would get the same link — use {path}, {name}, {slug} or {permalink}, e.g. https://github.com/me/notes/blob/main/{path}',
    ]);
    expect(errors('blog.example.org/{slug}')).toEqual([
      'ARTICLES_URL: blog.example.org/{slug} is not an absolute URL — e.g. https://github.com/me/notes/blob/main/{path} or obsidian://open?vault=Notes&file={path}',
    ]);
    expect(errors('javascript:alert({path})')).toEqual(['ARTICLES_URL: javascript: links are not allowed — e.g. https://github.com/me/notes/blob/main/{path}']);
  });

  it('lists every problem at once, each naming the variable and the expected shape', () => {
    const result = loadConfig({
      STORE_URL: 'mysql://x',
      NOTE_WRITERS: 'U024BE7LH',
      SEARCH_LIMIT: 'lots',
      SLACK_APP_TOKEN: 'xapp-1',
      DISCORD_TOKEN: 'abc',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      'STORE_URL: "mysql://x" is not a store URL — use sqlite://path/to/notes.sqlite, redis://host:6379 or postgresql://user:pass@host/db',
      'NOTE_WRITERS: "U024BE7LH" is not platform:userId — e.g. slack:U024BE7LH,discord:80351110224678912',
      'SEARCH_LIMIT: "lots" should be a whole number from 1 to 50',
      'SLACK_BOT_TOKEN: missing — SLACK_APP_TOKEN is set, so Slack also needs its bot token (xoxb-…)',
      'DISCORD_APPLICATION_ID: missing — DISCORD_TOKEN is set, so Discord also needs the application id (a number)',
    ]);
    expect(formatConfigErrors(result.errors).split('\n')[0]).toBe('tinker: configuration has 5 problems:');
  });

  it('Slack: Socket Mode with an app token, HTTP mode with a signing secret, half a set is an error', () => {
    expect(config({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack).toMatchObject({ appToken: 'xapp-1', port: 3000 });
    expect(config({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_PORT: '4000' }).slack).toMatchObject({ signingSecret: 's', port: 4000 });
    const half = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(half.ok).toBe(false);
    if (!half.ok) expect(half.errors[0]).toMatch(/^SLACK_APP_TOKEN or SLACK_SIGNING_SECRET: missing/);
  });

  it('Discord: token and application id together', () => {
    expect(config({ DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '123' }).discord).toMatchObject({ token: 't', applicationId: '123' });
    const half = loadConfig({ DISCORD_APPLICATION_ID: '123' });
    expect(half.ok).toBe(false);
    if (!half.ok) expect(half.errors).toEqual(['DISCORD_TOKEN: missing — DISCORD_APPLICATION_ID is set, so Discord also needs the bot token']);
  });
});

function errorsOf(env: Record<string, string>): string[] {
  const result = loadConfig(env);
  return result.ok ? [] : result.errors;
}

describe('NOTE_WRITERS', () => {
  it('refuses an entry that can never match anyone, naming it and the expected shape', () => {
    expect(errorsOf({ NOTE_WRITERS: 'slak:U1,teams:U2,console:me,discord:bob,slack:alice,Slack:U0OK,DISCORD:42' })).toEqual([
      'NOTE_WRITERS: "slak:U1" names an unknown platform "slak" — use slack:<user id> or discord:<user id>, e.g. slack:U024BE7LH,discord:80351110224678912',
      'NOTE_WRITERS: "teams:U2" names an unknown platform "teams" — use slack:<user id> or discord:<user id>, e.g. slack:U024BE7LH,discord:80351110224678912',
      'NOTE_WRITERS: "console:me" is not needed — the console may always write; list Slack and Discord users, e.g. slack:U024BE7LH,discord:80351110224678912',
      'NOTE_WRITERS: "discord:bob" is not a Discord user id — those are numbers, e.g. discord:80351110224678912',
      'NOTE_WRITERS: "slack:alice" is not a Slack user id — those are capital letters and digits, e.g. slack:U024BE7LH',
    ]);
    expect(config({ NOTE_WRITERS: 'Slack:U0OK,DISCORD:42' }).noteWriters).toEqual(['slack:U0OK', 'discord:42']);
  });
});

describe('DATA_DIR and INDEX_SNAPSHOT on disk', () => {
  let root: string;
  let dataDir: string;
  const snapshotHead = '{"version":1,"format":1,"savedAt":"2025-01-01T00:00:00.000Z","sources":{}}';
  beforeAll(async () => {
    root = await makeTempDir('tinker-config-');
    dataDir = path.join(root, 'data');
    await mkdir(path.join(dataDir, 'articles', 'deep'), { recursive: true });
    await writeFile(path.join(dataDir, 'profile.md'), '# Me\n');
    await writeFile(path.join(dataDir, 'notes.sqlite'), 'SQLite format 3\0 pretend');
    await writeFile(path.join(root, 'notes.txt'), 'my own notes, not a snapshot');
    await writeFile(path.join(root, 'old-snapshot.json'), snapshotHead);
    await writeFile(path.join(root, 'empty.json'), '');
    await writeFile(path.join(root, 'a-file'), 'x');
    await symlink(path.join(dataDir, 'notes.sqlite'), path.join(root, 'link-to-store'));
    await symlink(dataDir, path.join(root, 'data-link'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const snapshotError = (value: string, extra: Record<string, string> = {}) =>
    errorsOf({ DATA_DIR: dataDir, INDEX_SNAPSHOT: value, ...extra });

  it('refuses the notes store, its SQLite companions, the profile and anything under articles/', () => {
    const store = path.join(dataDir, 'notes.sqlite');
    const elsewhere = 'point INDEX_SNAPSHOT at a new file, or set it to off';
    expect(snapshotError(store)).toEqual([`INDEX_SNAPSHOT: ${store} is the notes store (STORE_URL) — ${elsewhere}`]);
    expect(snapshotError(`${store}-wal`)).toEqual([`INDEX_SNAPSHOT: ${store}-wal belongs to the notes store (STORE_URL) — ${elsewhere}`]);
    // The same file through another spelling: a symlinked DATA_DIR.
    const linked = path.join(root, 'data-link', 'notes.sqlite');
    expect(snapshotError(linked)).toEqual([`INDEX_SNAPSHOT: ${linked} is the notes store (STORE_URL) — ${elsewhere}`]);
    const profile = path.join(dataDir, 'profile.md');
    expect(snapshotError(profile)).toEqual([`INDEX_SNAPSHOT: ${profile} is the profile — ${elsewhere}`]);
    const articles = path.join(dataDir, 'articles');
    const outside = `leave INDEX_SNAPSHOT unset (the snapshot then goes to ${path.join(dataDir, '.index-snapshot.bin')}), name a file outside articles/, or set it to off`;
    for (const inside of [path.join(articles, 'index.md'), path.join(articles, 'deep', 'new', 'snap.json'), path.join(articles, 'index-snapshot.bin')]) {
      expect(snapshotError(inside)).toEqual([`INDEX_SNAPSHOT: ${inside} is inside ${articles}, among the write-ups — ${outside}`]);
    }
    // The folder itself: not "name a file in it", which the line above would then refuse.
    expect(snapshotError(articles)).toEqual([`INDEX_SNAPSHOT: ${articles} is the articles folder — ${outside}`]);
    expect(snapshotError(`${articles}/`)).toEqual([`INDEX_SNAPSHOT: ${articles} is the articles folder — ${outside}`]);
    // An explicit STORE_URL elsewhere: the old file is still no snapshot.
    expect(snapshotError(store, { STORE_URL: 'redis://127.0.0.1:6379' })).toEqual([`INDEX_SNAPSHOT: ${store} is not an index snapshot — ${elsewhere}`]);
  });

  it('refuses a file that is not a snapshot (also through a symlink), a folder and a missing folder', () => {
    const elsewhere = 'point INDEX_SNAPSHOT at a new file, or set it to off';
    const notes = path.join(root, 'notes.txt');
    expect(snapshotError(notes)).toEqual([`INDEX_SNAPSHOT: ${notes} is not an index snapshot — ${elsewhere}`]);
    const link = path.join(root, 'link-to-store');
    expect(snapshotError(link, { STORE_URL: `sqlite://${path.join(root, 'elsewhere.sqlite')}` })).toEqual([`INDEX_SNAPSHOT: ${link} is not an index snapshot — ${elsewhere}`]);
    expect(snapshotError(root)).toEqual([
      `INDEX_SNAPSHOT: ${root} is a folder — name a file in it, e.g. ${path.join(root, 'index-snapshot.bin')}, or set INDEX_SNAPSHOT to off`,
    ]);
    const missing = path.join(root, 'nowhere', 'snap.json');
    expect(snapshotError(missing)).toEqual([
      `INDEX_SNAPSHOT: ${missing} is in a folder that does not exist (${path.join(root, 'nowhere')}) — create it, or set INDEX_SNAPSHOT to off`,
    ]);
    const underFile = path.join(root, 'a-file', 'snap.json');
    expect(snapshotError(underFile)).toEqual([`INDEX_SNAPSHOT: ${underFile} cannot be checked (ENOTDIR) — ${elsewhere}`]);
  });

  it('accepts a new file, an empty one or an existing snapshot; takes a relative path from the working directory', async () => {
    for (const name of ['fresh.json', 'empty.json', 'old-snapshot.json']) {
      expect(config({ DATA_DIR: dataDir, INDEX_SNAPSHOT: path.join(root, name) }).indexSnapshot).toBe(path.join(root, name));
    }
    expect(config({ DATA_DIR: dataDir }).indexSnapshot).toBe(path.join(dataDir, '.index-snapshot.bin'));
    expect(config({ DATA_DIR: dataDir, INDEX_SNAPSHOT: 'snap.json' }).indexSnapshot).toBe(path.resolve('snap.json'));
    expect(await readFile(path.join(root, 'notes.txt'), 'utf8')).toBe('my own notes, not a snapshot');
  });

  it('takes off in any case, and then checks no file', () => {
    for (const off of ['off', 'OFF', 'Off', ' oFf ']) {
      expect(config({ DATA_DIR: dataDir, INDEX_SNAPSHOT: off }).indexSnapshot).toBe('off');
    }
  });

  it('STORE_URL: a sqlite:// file in a folder that does not exist is an error naming the folder; nothing is created', async () => {
    const missing = path.join(root, 'no', 'such', 'dir');
    expect(errorsOf({ DATA_DIR: dataDir, STORE_URL: `sqlite://${missing}/notes.sqlite` })).toEqual([
      `STORE_URL: the folder ${missing} does not exist — create it, or point STORE_URL at a file in an existing folder`,
    ]);
    expect(errorsOf({ DATA_DIR: dataDir, STORE_URL: `sqlite://${path.join(root, 'a-file')}/notes.sqlite` })).toEqual([
      `STORE_URL: ${path.join(root, 'a-file')} is not a folder — point STORE_URL at a file in a folder`,
    ]);
    const { existsSync } = await import('node:fs');
    expect(existsSync(path.join(root, 'no'))).toBe(false);
    // The default file in an existing DATA_DIR is fine: SQLite creates it at start-up.
    expect(config({ DATA_DIR: dataDir }).storeUrl).toBe(`sqlite://${path.join(dataDir, 'notes.sqlite')}`);
  });

  it('STORE_URL: ~/ is the home folder, ~user is refused, memory:// is accepted; one parser with the store opener', () => {
    expect(config({ DATA_DIR: dataDir, STORE_URL: 'sqlite://~/notes.sqlite' }).storeUrl).toBe('sqlite://~/notes.sqlite');
    expect(errorsOf({ DATA_DIR: dataDir, STORE_URL: 'sqlite://~alice/notes.sqlite' })).toEqual([
      'STORE_URL: sqlite://~alice/notes.sqlite: only ~/ (your own home folder) is understood — write the full path',
    ]);
    expect(config({ DATA_DIR: dataDir, STORE_URL: 'memory://' }).storeUrl).toBe('memory://');
    expect(errorsOf({ DATA_DIR: dataDir, STORE_URL: 'redis://:s3cret@' })).toEqual([
      'STORE_URL: "redis://:***@" is not a valid URL — e.g. redis://:password@host:6379/0',
    ]);
  });

  it('blames DATA_DIR, not STORE_URL or INDEX_SNAPSHOT, when DATA_DIR is a file', () => {
    const file = path.join(root, 'a-file');
    expect(errorsOf({ DATA_DIR: file })).toEqual([
      `DATA_DIR: ${file} is not a folder — set DATA_DIR to the folder that holds profile.md and articles/`,
    ]);
    expect(errorsOf({ DATA_DIR: path.join(file, 'sub') })).toEqual([
      `DATA_DIR: ${path.join(file, 'sub')} is not a folder (a part of its path is a file) — set DATA_DIR to the folder that holds profile.md and articles/`,
    ]);
    // A folder that does not exist: the default store would go there, and no folder is created for it.
    const notYet = path.join(root, 'not-yet');
    expect(errorsOf({ DATA_DIR: notYet })).toEqual([
      `DATA_DIR: ${notYet} does not exist — create it with your profile.md (the notes file notes.sqlite is made there), or set DATA_DIR to the folder that holds profile.md and articles/`,
    ]);
    // With a store elsewhere, the missing profile is reported at start-up.
    expect(config({ DATA_DIR: notYet, STORE_URL: 'redis://127.0.0.1:6379' }).dataDir).toBe(notYet);
  });
});

describe('a folder the notes file cannot be made in (acceptance 45)', () => {
  it('names DATA_DIR when STORE_URL is unset, STORE_URL when it is set, and what to do', async () => {
    const dir = await makeTempDir('tinker-unwritable-');
    await writeFile(path.join(dir, 'profile.md'), '# Now\n');
    // Root writes through mode bits; an immutable folder refuses root too.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('chattr', ['+i', dir]);
    else await chmod(dir, 0o555);
    try {
      expect(loadConfig({ DATA_DIR: dir })).toEqual({
        ok: false,
        errors: [
          `DATA_DIR: ${dir} is not writable for this user, so the notes file notes.sqlite cannot be made there — make it writable, or set STORE_URL to a file in a writable folder (STORE_URL=sqlite:///var/lib/tinker/notes.sqlite)`,
        ],
      });
      const file = path.join(dir, 'mine.sqlite');
      expect(loadConfig({ DATA_DIR: dir, STORE_URL: `sqlite://${file}` })).toEqual({
        ok: false,
        errors: [`STORE_URL: cannot create ${file}: ${dir} is not writable for this user — make it writable, or point STORE_URL at a file in a writable folder`],
      });
    } finally {
      if (asRoot) execFileSync('chattr', ['-i', dir]);
      else await chmod(dir, 0o755);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('.env.example', () => {
  it('lists every variable the configuration reads, each with a comment', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(new URL('../src/config.ts', import.meta.url), 'utf8');
    const example = await readFile(new URL('../.env.example', import.meta.url), 'utf8');
    const read = [...source.matchAll(/get\('([A-Z_]+)'\)/g)].map((m) => m[1]!);
    expect(read.length).toBeGreaterThan(10);
    const lines = example.split('\n');
    for (const name of new Set(read)) {
      const at = lines.findIndex((line) => line.startsWith(`${name}=`));
      expect(at, `${name} missing from .env.example`).toBeGreaterThan(0);
      expect(lines[at - 1], `${name} needs a comment line above it`).toMatch(/^# /);
    }
  });
});

describe('test helpers', () => {
  it('blank every variable the configuration reads, so a developer .env cannot leak into spawned bots', async () => {
    const { readFile } = await import('node:fs/promises');
    const { TINKER_VARIABLES } = await import('./helpers/bot-process.ts');
    const source = await readFile(new URL('../src/config.ts', import.meta.url), 'utf8');
    const read = new Set([...source.matchAll(/get\('([A-Z_]+)'\)/g)].map((m) => m[1]!));
    expect(new Set(TINKER_VARIABLES)).toEqual(read);
  });
});
