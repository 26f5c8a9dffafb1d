import { describe, expect, it } from 'vitest';
import { articleLink } from '../../../src/core/sources/article-links.ts';

const fields = { path: 'Projects/Café notes/Q&A #1.md', name: 'Q&A #1', slug: 'q-a-1' };

describe('articleLink', () => {
  it('percent-encodes each path segment in the path, and the whole value after ? (slashes too)', () => {
    expect(articleLink('https://github.com/me/notes/blob/main/{path}', fields)).toBe(
      'https://github.com/me/notes/blob/main/Projects/Caf%C3%A9%20notes/Q%26A%20%231.md',
    );
    expect(articleLink('obsidian://open?vault=Notes&file={path}', fields)).toBe('obsidian://open?vault=Notes&file=Projects%2FCaf%C3%A9%20notes%2FQ%26A%20%231.md');
    expect(articleLink('https://wiki.example.org/{name}', fields)).toBe('https://wiki.example.org/Q%26A%20%231');
    expect(articleLink('https://blog.example.org/posts/{slug}/', fields)).toBe('https://blog.example.org/posts/q-a-1/');
  });

  it('percent-encodes a space or a non-ASCII letter in the template’s own text (a vault named "My Notes"), keeping what is encoded already', () => {
    expect(articleLink('obsidian://open?vault=My Notes&file={path}', fields)).toBe('obsidian://open?vault=My%20Notes&file=Projects%2FCaf%C3%A9%20notes%2FQ%26A%20%231.md');
    expect(articleLink('https://wiki.example.org/Über uns/{name}', fields)).toBe('https://wiki.example.org/%C3%9Cber%20uns/Q%26A%20%231');
    expect(articleLink('obsidian://open?vault=My%20Notes&file={path}', { ...fields, path: 'a.md' })).toBe('obsidian://open?vault=My%20Notes&file=a.md');
  });

  it('gives no link when the template names a permalink the article lacks', () => {
    expect(articleLink('https://blog.example.org/{permalink}', fields)).toBeUndefined();
    expect(articleLink('https://blog.example.org/{permalink}', { ...fields, permalink: '2016/09/29/Rust 1.12' })).toBe('https://blog.example.org/2016/09/29/Rust%201.12');
  });
});
