import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConfigErrors, loadConfig } from '../src/config.ts';

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
    const c = config({ DATA_DIR: '/tmp/kb', STORE_URL: '', SEARCH_LIMIT: ' ' });
    expect(c.storeUrl).toBe('sqlite:///tmp/kb/notes.sqlite');
    expect(c.searchLimit).toBe(5);
  });

  it('parses NOTE_WRITERS as platform:userId entries', () => {
    const c = config({ NOTE_WRITERS: 'slack:U024BE7LH, discord:80351110224678912,' });
    expect(c.noteWriters).toEqual(['slack:U024BE7LH', 'discord:80351110224678912']);
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
