/**
 * What `fabrique demo` adds for the agenda and the map (issue 16, point 5): a few meetings still to come, dated from
 * the day the demo runs (its 2022 meetings are all past), and contributions sent through the public form with a
 * postcode, published in the demo's name, so that the map has areas above and below its threshold. Texts and
 * places written by the team. Idempotent: nothing is added again while upcoming meetings or postcodes exist.
 */
import { parisDay } from '../../domain/consultation.ts';
import { publicCountsByPostcode } from '../../store/contribution-areas.ts';
import type { Store } from '../../store/index.ts';
import { meetingAgenda } from '../../usecases/agenda.ts';
import { addMeeting } from '../../usecases/consultations.ts';
import { context, type Actor } from '../../usecases/context.ts';
import { moderateContributions, submitContribution } from '../../usecases/contributions.ts';

/** Upcoming meetings: days after the run, title, kind, place, time as a poster prints it. */
const UPCOMING = [
  { days: 9, title: 'Atelier de restitution à Rodez', kind: 'atelier', place: 'Rodez, salle des fêtes de Bourran', time: '18h30-20h30' },
  { days: 16, title: 'Atelier santé des aînés à Espalion', kind: 'atelier', place: 'Espalion, salle de la Bouquerie', time: '14H-17H' },
  { days: 37, title: 'Réunion départementale de suivi', kind: 'reunion_departementale', place: 'Millau, centre de congrès', time: 'après-midi' },
] as const;

/** Postcode → texts: Rodez and Millau above the threshold of 5, three smaller areas merged into « autres communes ». */
const FORM_TEXTS: Record<string, string[]> = {
  '12000': [
    'Il faudrait un centre de soins non programmés ouvert le soir à Rodez.',
    'Les délais pour voir un ophtalmologiste dépassent six mois ici.',
    'Une navette vers l’hôpital pour les personnes sans voiture serait utile.',
    'Plus de places en crèche près de l’hôpital aiderait les soignants.',
    'Les permanences de prévention au marché sont une bonne idée à garder.',
    'Trouver un médecin traitant après un déménagement reste très difficile.',
  ],
  '12100': [
    'La maison de santé de Millau manque de kinésithérapeutes.',
    'Des consultations de pédiatrie une fois par semaine au moins.',
    'Le transport vers Rodez pour les examens prend une journée entière.',
    'Un lieu d’écoute pour les jeunes en difficulté manque en ville.',
    'Les pharmacies de garde sont trop loin le dimanche.',
  ],
  '12200': [
    'Le service des urgences devrait rester ouvert la nuit toute l’année.',
    'Des infirmiers en pratique avancée pourraient suivre les malades chroniques.',
    'Un bus santé dans les villages autour de la ville.',
  ],
  '12500': ['Les aides à domicile manquent pour les personnes âgées.'],
  '12300': ['Un dépistage des maladies respiratoires pour les anciens mineurs.'],
};

export async function demoAgendaAndMap(store: Store, slug: string, actor: Actor, log: (line: string) => void = (l) => console.log(l)): Promise<void> {
  const now = new Date();
  const ctx = context(store, actor, () => now);
  const agenda = await meetingAgenda(ctx, { consultation: slug });
  if (agenda.upcoming.length === 0) {
    const today = parisDay(now);
    for (const m of UPCOMING) {
      const d = new Date(`${today}T12:00:00Z`);
      d.setUTCDate(d.getUTCDate() + m.days);
      await addMeeting(ctx, { consultation: slug, title: m.title, kind: m.kind, place: m.place, time: m.time, date: d.toISOString().slice(0, 10) });
    }
    log(`Agenda : ${UPCOMING.length} réunions à venir ajoutées pour la démonstration (datées à partir d’aujourd’hui).`);
  }
  if ((await publicCountsByPostcode(store, slug)).length === 0) {
    const ids: string[] = [];
    for (const [postcode, texts] of Object.entries(FORM_TEXTS)) {
      for (const text of texts) ids.push((await submitContribution(ctx, { consultation: slug, text, postcode })).id);
    }
    await moderateContributions(ctx, { ids, action: 'publish' });
    log(`Carte : ${ids.length} contributions du formulaire avec un code postal, publiées au nom de « ${actor.name} ».`);
  }
}
