/** The core's public surface: what commands, adapters and main import. */
export * from './bot/command.ts';
export * from './domain/errors.ts';
export * from './bot/registry.ts';
export * from './bot/dispatch.ts';
export { OPEN_BOT_HINT, type Memory } from './bot/open-hint.ts';
export { closestName } from './bot/suggest.ts';
export * from './bot/paging.ts';
export { editDistance, typoBudget, MATCH_TYPO_LENGTHS, SUGGEST_TYPO_LENGTHS, type TypoLengths } from './text/edit-distance.ts';
export * from './bot/writers.ts';
export * from './bot/dispatch-deadline.ts';
export * from './kb/query.ts';
export * from './domain/types.ts';
export {
  SearchIndex,
  SEARCH_OPTIONS_VERSION,
  SEARCH_POLICY,
  type IndexedDoc,
  type SearchPolicy,
  type SearchQuery,
  type SearchOutcome,
} from './search/search-index.ts';
export { foldCase, indexTerm, tagTerm, tokenize } from './text/words.ts';
export { makeSnippet, spansToText, SNIPPET_LENGTH } from './search/snippet.ts';
export { TOPIC_MAX_LENGTH, type ProfileEdit, type ProfileEditAction, type ProfileEditOutcome } from './kb/profile-edit.ts';
export { matchTopic, type TopicMatch } from './kb/topic-match.ts';
export { nextOccurrence, parseResurfaceSchedule, startResurfaceDigest, type ResurfaceSchedule } from './kb/resurface-schedule.ts';
export { KnowledgeBase, articleDoc, noteDoc, type NewNote, type SaveResult, type SearchOptions, type TagCount } from './kb/knowledge-base.ts';
export { NOTES_VISIBLE_TO_VALUES, DEFAULT_READ_RULE, noteSaver, type NotesVisibleTo, type ReadRule } from './kb/read-rule.ts';
export { EVERYONE, isOwner, personKey, samePerson } from './domain/people.ts';
export { openNoteStore, KeyvNoteStore, redactUrl, type NoteStore, type NoteChange } from './store/note-store.ts';
export { exportNotes, importNotes, noteToMarkdown, noteFromMarkdown, type ExportResult, type ImportResult } from './store/export.ts';
export { NOTE_MAX_LENGTH, characterCount, extractTags, hasContent, isNoteId, noteTitle, newNoteId, noteIdForKey, type Note } from './domain/notes.ts';
export { cleanNoteText } from './domain/notes.ts';
export { parseProfile, loadProfile, findSection, findSectionOrGroup, slugify, type Profile, type ProfileSection, type ProfileGroup, type ProfileMatch, type ProfileItem } from './sources/profile.ts';
export { parseArticle, type Article } from './sources/articles.ts';
export { normalizeTag } from './domain/tags.ts';
export { loadArticles, streamArticles, type ArticleBatch, type LoadArticlesOptions, type LoadProgress } from './sources/article-loader.ts';
export { createProgressReporter, type ProgressReporter } from './sources/load-progress.ts';
export { createLogger, silentLogger, REDACT_PATHS, type Logger } from './util/logger.ts';
export { within, withTimeout } from './util/timeouts.ts';
export { watchDataDir, type DataWatcher, type DataChangeHandler } from './sources/watcher.ts';
