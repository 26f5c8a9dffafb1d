/**
 * The command contract: what a command is, what it receives and what it returns.
 * Platform-neutral: adapters translate their payloads into an `Invocation` and a
 * `Reply` into their own output.
 */
import type { Origin, Person, SearchHit } from '../domain/types.ts';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';

/** One call of a command, built by an adapter from a platform event. */
export interface Invocation {
  /** Command name without the slash, as typed (normalised by the registry). */
  command: string;
  /** Everything after the command name, untrimmed. */
  text: string;
  /** Who invoked the command (checked against NOTE_WRITERS). */
  user: Person;
  /** Where it was invoked. */
  origin: Origin;
  /**
   * For "Save to notes" on someone else's message: that message's author.
   * The note is attributed to them; permission is still checked on `user`.
   */
  author?: Person;
  /**
   * Identifies the platform request or message this came from; a second
   * invocation with the same key returns the first result instead of a new note.
   */
  idempotencyKey?: string;
  /**
   * `#words` in the text that are not tags, as written after the `#`: the channel
   * links of a Slack message saved with "Save to notes" (`<#C123|general>` reads as
   * `#general`, the channel's name, which its author did not mean as a tag).
   */
  notTags?: readonly string[];
  /**
   * Where a continued list of hits starts (0-based): a pressed button's
   * `ReplyAction.offset`. Commands without lists ignore it.
   */
  offset?: number;
}

/** One line of a list in a reply (profile items, help lines). */
export interface ReplyListItem {
  /** The item's text (plain, from the owner's data: renderers must escape it). */
  text: string;
  /** A link for the item, when it has one. */
  url?: string;
  /** A short extra, shown after the text (counts, an example). */
  detail?: string;
}

/** A part of a reply's body. */
export type ReplySection =
  | { type: 'text'; text: string }
  | { type: 'list'; title?: string; items: ReplyListItem[] }
  | {
      type: 'hits';
      hits: SearchHit[];
      /** The number the first hit is shown with: 1 unless this is a later page (`6` for hits 6-10). */
      first?: number;
      /** When these hits are one page of a longer ranking: what a renderer that shows fewer needs (see `showFirstHits`). */
      paging?: HitsPaging;
    };

/**
 * A page of a ranked list, described so that a renderer that cannot show all
 * of its hits can hand the reply to `showFirstHits`: the summary's range and
 * the More button then follow what is shown, and the hits left out come first
 * on the next press.
 */
export interface HitsPaging {
  /** How many results the whole ranking has. */
  total: number;
  /** The reply's summary without its range: `31 results for "libgit2"` (the reply's text adds ` (6-10 of 31)`). */
  summary: string;
  /** The button that shows the hits after the last one shown; its `offset` is set to the first hit not shown. */
  more: Omit<ReplyAction, 'offset'>;
  /** No button points past this many results (the command's paging depth). */
  end: number;
}

/**
 * A button on a reply: pressing it dispatches `command` with `text` as the
 * person who pressed it (Slack block action, Discord button, console `/more`).
 */
export interface ReplyAction {
  /** Stable within a reply (`find:more`); adapters use it to tell a reply's actions apart. */
  id: string;
  /** What the button says: `More results` (Slack shows at most 75 characters, Discord 80). */
  label: string;
  /** The command to run, without the slash: `find`. */
  command: string;
  /** The text it runs with: `libgit2 page:2`. */
  text: string;
  /** For a button that continues a list of hits: the 0-based position of the first hit it asks for (`Invocation.offset`). */
  offset?: number;
}

/** What a command returns; each adapter renders it in its own way. */
export interface Reply {
  /** Only the person who asked sees it (`ephemeral`), or the whole channel (`public`). */
  visibility: 'ephemeral' | 'public';
  /** `error` for refusals and failures, so renderers can style them. */
  tone: 'ok' | 'error';
  /** A one-line summary; also the fallback text where rich output is unavailable. */
  text: string;
  /** The body, in order. */
  sections: ReplySection[];
  /** Buttons under the reply (at most five are shown). */
  actions?: ReplyAction[];
}

/** The single string argument a command takes, described for platforms that declare options. */
export interface CommandOption {
  /** Option name (lower case, for Discord's option list). */
  name: string;
  /** One line shown to the user while typing. */
  description: string;
  /** Whether the command is useless without it. */
  required: boolean;
  /** Longest accepted value, in characters. */
  maxLength?: number;
  /** A closed list of values, when there is one. */
  choices?: readonly string[];
  /** Whether the platform should offer completions while typing. */
  autocomplete?: boolean;
}

/** Services a command runs against. */
export interface CommandContext {
  /** Profile, articles, notes, and the search index over them. */
  kb: KnowledgeBase;
  /** Most hits `/find` shows. */
  searchLimit: number;
  /** `platform:userId` entries allowed to write; empty means anyone. */
  noteWriters: readonly string[];
  /** The known commands, for `/help` and "unknown command" replies. */
  commands: readonly Command[];
}

/** One completion: the value put into the option, and how the list shows it. */
export interface Completion {
  /** What the option becomes when picked. */
  value: string;
  /** What the list shows; the value when absent. */
  label?: string;
  /** A short tag shown after the label, kept when the label is cut (`article`). */
  detail?: string;
}

/** A command: data plus a function from an invocation to a reply. */
export interface Command {
  /** Lower-case name without the slash: `find`. */
  name: string;
  /** One line describing what it does. */
  description: string;
  /** How to call it: `/find <query>`. */
  usage: string;
  /** One example call: `/find libgit2 nfs`. */
  example: string;
  /** Its argument, if it takes one. */
  option?: CommandOption;
  /** Whether its normal reply is ephemeral or public (adapters defer with this). */
  visibility: Reply['visibility'];
  /**
   * Whether it changes stored data (notes, the profile), for every call or
   * for the calls whose text says so (`/topics add …`): dispatch then lets
   * only NOTE_WRITERS (and the console) run it. The one permission check.
   */
  writes: boolean | ((text: string) => boolean);
  /**
   * What a write the note store refused means for this command, in a few words:
   * `not saved` (/note, and Slack's "Save to notes", which is /note), `not deleted`
   * (/forget). Default: `nothing was changed`. Dispatch words the rest of the refusal.
   */
  refused?: string;
  /** `false` keeps it out of /help, the Slack manifest and Discord's command list (the home tab's `home`). */
  listed?: false;
  /**
   * Completions for what `user` has typed so far (Discord autocomplete): whole
   * values for the option, best first. Errors are logged and answered with none.
   */
  complete?(ctx: CommandContext, text: string, user: Person): Promise<ReadonlyArray<string | Completion>>;
  run(ctx: CommandContext, invocation: Invocation): Promise<Reply>;
}

/** Identity helper that keeps a command's literal types checked. */
export function defineCommand<const C extends Command>(command: C): C {
  return command;
}

/** A reply helper for the common case. */
export function reply(
  text: string,
  options: Partial<Omit<Reply, 'text'>> = {},
): Reply {
  return {
    visibility: options.visibility ?? 'ephemeral',
    tone: options.tone ?? 'ok',
    text,
    sections: options.sections ?? [],
    ...(options.actions && options.actions.length > 0 ? { actions: options.actions } : {}),
  };
}

