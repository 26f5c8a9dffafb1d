/**
 * What a document contributes to the index: its index terms per field, with
 * their frequencies, and each field's length.
 */
import { indexTerm, tagTerm, tokenize } from '../text/words.ts';
import { FIELD_COUNT, FIELD_ID } from './postings.ts';
import type { IndexedDoc } from './types.ts';

export interface DocumentTerms {
  /** Per field id: index term → frequency, in order of first occurrence. */
  fields: Array<Map<string, number>>;
  /** Per field id: the length BM25 normalises by. */
  lengths: number[];
}

/** The text of each field: the title (with any aliases, searched like it), the text, the tags. */
export function fieldTexts(doc: IndexedDoc): string[] {
  const texts: string[] = [];
  texts[FIELD_ID.title] = doc.aliases && doc.aliases.length > 0 ? `${doc.title}\n${doc.aliases.join('\n')}` : doc.title;
  texts[FIELD_ID.text] = doc.text;
  texts[FIELD_ID.tags] = doc.tags.join(' ');
  return texts;
}

/**
 * Title and text are indexed by stem (`indexTerm`), tags as written, folded
 * (`tagTerm`): "ruby" must find the tag ruby, though its stem is "rubi".
 */
export function documentTerms(doc: IndexedDoc): DocumentTerms {
  const texts = fieldTexts(doc);
  const fields: Array<Map<string, number>> = [];
  const lengths: number[] = [];
  for (let field = 0; field < FIELD_COUNT; field += 1) {
    const words = tokenize(texts[field] ?? '');
    const terms = new Map<string, number>();
    for (const word of words) {
      const term = field === FIELD_ID.tags ? tagTerm(word) : indexTerm(word);
      if (term) terms.set(term, (terms.get(term) ?? 0) + 1);
    }
    fields.push(terms);
    // NOTE: MiniSearch's field length, kept so ranking is unchanged: distinct words as written.
    lengths.push(new Set(words).size);
  }
  return { fields, lengths };
}
