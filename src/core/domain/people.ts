/**
 * Who is who: one way to name a person across platforms (`platform:userId`,
 * as NOTE_WRITERS lists them) and the local console user, who runs the process.
 */
import type { Person } from './types.ts';

/** The local console user runs the process: always an owner. */
export const LOCAL_PLATFORM = 'console';

/** A person as NOTE_WRITERS names them: `slack:U024BE7LH`. */
export function personKey(person: Person): string {
  return `${person.platform.toLowerCase()}:${person.id}`;
}

export function samePerson(a: Person, b: Person): boolean {
  return personKey(a) === personKey(b);
}

/** Whether a person is an owner: the console user, or listed (NOTE_WRITERS). */
export function isOwner(owners: readonly string[], person: Person): boolean {
  return person.platform === LOCAL_PLATFORM || owners.includes(personKey(person));
}

/**
 * A viewer who sees only what anyone may: for counts and lists in a reply the
 * whole channel reads (a public reply must not reveal anyone's private notes).
 */
export const EVERYONE: Person = Object.freeze({ platform: 'everyone', id: '*', name: 'everyone' });
