/**
 * What of a meeting may be published: its title and place as typed or imported may name a person
 * (« Réunion chez le Dr … »); they are pseudonymised on the way to every public output (restitution,
 * public pages), the stored meeting keeps them as written for the back office.
 */
import type { Meeting } from '../domain/meeting.ts';
import { pseudonymise } from './pseudonymise.ts';

export function publicMeeting(m: Meeting): Meeting {
  const title = pseudonymise(m.title).text;
  const place = m.place === undefined ? undefined : pseudonymise(m.place).text;
  if (title === m.title && place === m.place) return m;
  return { ...m, title, ...(place !== undefined ? { place } : {}) };
}
