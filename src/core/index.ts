/** The core's public surface: what commands, adapters and main import. */
export * from './command.ts';
export * from './errors.ts';
export * from './registry.ts';
export * from './writers.ts';
export * from './query.ts';
export * from './search-types.ts';
export { SearchIndex, INDEX_OPTIONS, SEARCH_OPTIONS_VERSION, fuzzyDistance, type IndexedDoc, type SearchQuery, type SearchOutcome } from './search.ts';
export { makeSnippet, spansToText, SNIPPET_LENGTH } from './snippet.ts';
export { KnowledgeBase, articleDoc, noteDoc, type NewNote, type SaveResult } from './knowledge-base.ts';
export { openNoteStore, KeyvNoteStore, redactUrl, type NoteStore, type NoteChange } from './note-store.ts';
export { exportNotes, importNotes, noteToMarkdown, noteFromMarkdown, type ExportResult, type ImportResult } from './store-export.ts';
export { NOTE_MAX_LENGTH, characterCount, extractTags, isNoteId, noteTitle, newNoteId, noteIdForKey, type Note } from './notes.ts';
export { cleanNoteText } from './notes.ts';
export { parseProfile, loadProfile, findSection, slugify, type Profile, type ProfileSection, type ProfileItem } from './profile.ts';
export { parseArticle, normalizeTag, type Article } from './articles.ts';
export { loadArticles, streamArticles, type ArticleBatch, type LoadArticlesOptions } from './article-loader.ts';
export { createLogger, silentLogger, REDACT_PATHS, type Logger } from './logger.ts';
export { watchDataDir, type DataWatcher } from './watcher.ts';
