/**
 * Article text for snippets, read back from the files (the index keeps no
 * article text in memory), with the last few kept: a `/find` reads its five
 * hits' files, and the next page, a narrowed query or another person's /find
 * reads most of them again. A kept text is used only for the version of the
 * file the index holds (its modification time when indexed): when the watcher
 * re-indexes an edited file the next read is fresh, and until then the snippet
 * shows the words the document was found by. Without an indexed time, the
 * file's own size and modification time decide (a stat). Reading and
 * flattening the files was about half of a `/find` at 2k write-ups, and a stat
 * per hit a tenth.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { isInVaultOnDisk } from './article-files.ts';
import { readArticleTextSync } from './articles.ts';

export interface ArticleTextsOptions {
  /** Texts kept at most (default 64). */
  entries?: number;
  /** Characters kept at most, all texts together (default 2 million: a few MB). */
  chars?: number;
  /** How long a folder's vault check (an `.obsidian` folder above it: a stat per folder) is reused; default 10 s. */
  vaultCheckMs?: number;
}

interface Kept {
  mtimeMs: number;
  /** -1 when kept by the indexed modification time (the size was not looked at). */
  size: number;
  text: string;
}

export class ArticleTexts {
  private readonly kept = new Map<string, Kept>();
  private keptChars = 0;
  private readonly vaults = new Map<string, { vault: boolean; at: number }>();
  private readonly entries: number;
  private readonly chars: number;
  private readonly vaultCheckMs: number;

  constructor(
    private readonly dataDir: string,
    options: ArticleTextsOptions = {},
  ) {
    this.entries = options.entries ?? 64;
    this.chars = options.chars ?? 2_000_000;
    this.vaultCheckMs = options.vaultCheckMs ?? 10_000;
  }

  /**
   * The text of an article (path relative to DATA_DIR) as snippets read it; undefined when it
   * cannot be read. `indexedMtimeMs`: the file's modification time the index holds it at.
   */
  read(relativePath: string, indexedMtimeMs?: number): string | undefined {
    let version: Omit<Kept, 'text'>;
    if (indexedMtimeMs !== undefined) {
      version = { mtimeMs: indexedMtimeMs, size: -1 };
    } else {
      try {
        const info = statSync(path.join(this.dataDir, relativePath));
        version = { mtimeMs: info.mtimeMs, size: info.size };
      } catch {
        this.forget(relativePath);
        return undefined;
      }
    }
    const kept = this.kept.get(relativePath);
    if (kept && kept.mtimeMs === version.mtimeMs && kept.size === version.size) {
      // Most recently used last: the first entry is the one to drop.
      this.kept.delete(relativePath);
      this.kept.set(relativePath, kept);
      return kept.text;
    }
    this.forget(relativePath);
    const text = readArticleTextSync(this.dataDir, relativePath, { vault: this.inVault(relativePath) });
    if (text !== undefined) this.keep(relativePath, { ...version, text });
    return text;
  }

  private keep(relativePath: string, entry: Kept): void {
    // A text too large to share the room is read each time.
    if (entry.text.length > this.chars / 4) return;
    this.kept.set(relativePath, entry);
    this.keptChars += entry.text.length;
    for (const [oldest, old] of this.kept) {
      if (this.kept.size <= this.entries && this.keptChars <= this.chars) break;
      this.kept.delete(oldest);
      this.keptChars -= old.text.length;
    }
  }

  /** Drops the kept text of a file (re-indexed or removed). */
  forget(relativePath: string): void {
    const kept = this.kept.get(relativePath);
    if (!kept) return;
    this.kept.delete(relativePath);
    this.keptChars -= kept.text.length;
  }

  /** Drops the kept texts of every file under a folder (`articles/old/`). */
  forgetUnder(prefix: string): void {
    for (const file of [...this.kept.keys()]) if (file.startsWith(prefix)) this.forget(file);
  }

  private inVault(relativePath: string): boolean {
    const folder = path.posix.dirname(relativePath);
    const now = performance.now();
    const checked = this.vaults.get(folder);
    if (checked && now - checked.at < this.vaultCheckMs) return checked.vault;
    const vault = isInVaultOnDisk(this.dataDir, relativePath);
    // Folders with write-ups are few: the map is only bounded against a pathological archive.
    if (this.vaults.size >= 10_000) this.vaults.clear();
    this.vaults.set(folder, { vault, at: now });
    return vault;
  }
}
