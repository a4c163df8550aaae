/**
 * The follow-up of the coverage tests' small scheme (coverage-fixture.ts, written for the tests): its « En pratique »
 * items imported as actions; the guichet given an owner organisation (and a contact person, never public), engaged then
 * « en cours » at 60 % with a public comment; the stages abandoned with a reason; a sub-action done under the other
 * objective; an indicator of that objective, 2 → 5 implantations, measured at 3.
 */
import type { Store } from '../../src/store/index.ts';
import { createAction, importPlanActions, listActions, updateAction } from '../../src/usecases/actions.ts';
import { context, type Actor } from '../../src/usecases/context.ts';
import { addIndicator, addMeasurement } from '../../src/usecases/followup-indicators.ts';
import { NOW } from './coverage-fixture.ts';

export const PILOT: Actor = { name: 'pilote.suivi@ars.test', role: 'analyst' };
export const CONTACT = 'Camille Contactprivée';
export const OWNER = 'Conseil départemental de la Lozère';

export async function seedFollowup(store: Store, planId: string): Promise<{ guichet: string; indicator: string }> {
  const pilot = context(store, PILOT, () => NOW);
  await importPlanActions(pilot, { plan: planId });
  const listed = await listActions(pilot, { plan: planId });
  const guichet = listed.actions.find((a) => a.objectiveCode === 'E1D2O3' && /guichet/.test(a.title))!.id;
  const stages = listed.actions.find((a) => a.objectiveCode === 'E1D2O3' && /stages/.test(a.title))!.id;
  await updateAction(pilot, { action: guichet, owner: { organisation: OWNER, contact: CONTACT }, status: 'engagee', startDate: '2026-01-15', dueDate: '2027-06-30' });
  await updateAction(pilot, { action: guichet, status: 'en_cours', progress: 60, comment: 'Le guichet reçoit ses premiers rendez-vous.' });
  // private fields only: no public entry
  await updateAction(pilot, { action: guichet, owner: { contact: 'Une autre personne' }, weight: 2 });
  await updateAction(pilot, { action: stages, status: 'abandonnee', reason: 'Remplacée par une action régionale.' });
  const o4 = listed.actions.find((a) => a.objectiveCode === 'E1D2O4')!.id;
  const child = await createAction(pilot, { plan: planId, objective: 'E1D2O4', parent: o4, title: 'Une journée de cardiologie par mois' });
  await updateAction(pilot, { action: child.id, status: 'en_cours' });
  await updateAction(pilot, { action: child.id, status: 'realisee' });
  const ind = await addIndicator(pilot, { plan: planId, objective: 'E1D2O4', label: 'Unités de dialyse médicalisée', unit: 'implantations', baseline: { value: 2, source: 'OQOS, existant' }, target: { value: 5 } });
  await addMeasurement(pilot, { indicator: ind.id, value: 3, date: '2026-11-15', source: 'autorisation de l’ARS' });
  return { guichet, indicator: ind.id };
}
