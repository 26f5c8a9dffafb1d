/** Every command tinker knows, in the order /help lists them (`home` is unlisted: the Slack home tab). */
import type { Command } from '../src/core/index.ts';
import { find } from './find.ts';
import { forget } from './forget.ts';
import { help } from './help.ts';
import { home } from './home.ts';
import { note } from './note.ts';
import { resurface } from './resurface.ts';
import { tags } from './tags.ts';
import { topics } from './topics.ts';

export const commands: readonly Command[] = [note, find, tags, topics, resurface, forget, help, home];
