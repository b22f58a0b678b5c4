import type { EventStore } from '../kernel/eventStore.ts';
import type { Event } from '../kernel/events.ts';
import {
  withPersonalData,
  type PersonalDataCipher,
  type PersonalDataPolicy,
  type PersonalField,
} from '../kernel/personalDataStore.ts';

/** The subject of a member's personal data in the key store. */
export const memberSubject = (memberId: string): string => `member:${memberId}`;

/**
 * cogov's personal data (PIPL): a member's name, sealed under the member's own key. A deployment
 * that records more (a phone number, an ID card number) adds its fields with `extraFields`.
 */
export const domainPersonalData = (
  extraFields: Readonly<Record<string, readonly PersonalField[]>> = {},
): PersonalDataPolicy => ({
  fields: {
    MemberRegistered: [{ field: 'name', subject: (d) => memberSubject(String(d['memberId'])) }],
    ...extraFields,
  },
  erases: (event: Event) =>
    event.type === 'PersonalDataErased'
      ? [memberSubject(String((event.data as { memberId: unknown }).memberId))]
      : [],
});

/** The store with cogov's personal data sealed on append and opened (or shown erased) on read. */
export const withDomainPersonalData = (
  store: EventStore,
  cipher: PersonalDataCipher,
  policy: PersonalDataPolicy = domainPersonalData(),
): EventStore => withPersonalData(store, cipher, policy);

/** Commands only an administrator may give (erasure is a legal act, not a clerk's entry). */
export const ADMIN_ONLY_COMMANDS: ReadonlySet<string> = new Set(['ErasePersonalData']);
