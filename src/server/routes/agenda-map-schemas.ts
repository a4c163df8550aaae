/** What the agenda and map routes send (src/server/routes/agenda-map.ts), declared field by field; the web app infers its types from them. */
import { z } from 'zod';
import { MeetingKind } from '../schemas.ts';

const AgendaMeeting = z.object({
  id: z.string(),
  consultation: z.object({ slug: z.string(), title: z.string() }),
  title: z.string(), kind: MeetingKind, kindLabel: z.string(), place: z.string().nullable(),
  date: z.string().nullable().describe('jour ISO ; null quand l’année n’est pas connue'),
  dateText: z.string().nullable().describe('la date telle qu’imprimée, quand elle n’a pu être rendue ISO'),
  time: z.string().nullable().describe('l’horaire tel qu’imprimé (« 19H-22H »)'),
  start: z.string().nullable().describe('heure de début lue dans l’horaire (« 19:00 ») ; null : journée entière dans un agenda'),
  end: z.string().nullable(),
});
export const AgendaResponse = z.object({
  consultation: z.object({ slug: z.string(), title: z.string() }).nullable().describe('la consultation demandée ; null : toutes les consultations publiques'),
  upcoming: z.array(AgendaMeeting).describe('à venir (aujourd’hui compris, à Paris), la plus proche d’abord'),
  past: z.array(AgendaMeeting).describe('passées, la plus récente d’abord'),
  undated: z.array(AgendaMeeting).describe('sans date complète : affichées à part, absentes des fichiers iCalendar'),
});

const Count = z.number().int().nullable().describe('null : moins que le seuil (jamais affiché)');
export const MapResponse = z.object({
  consultation: z.object({ slug: z.string(), title: z.string(), territory: z.string(), territoryName: z.string(), level: z.enum(['departement', 'region']) }),
  viewBox: z.string().nullable().describe('cadre SVG autour des départements de la consultation ; null sans contour (outre-mer)'),
  departements: z.array(z.object({ code: z.string(), name: z.string(), path: z.string().nullable(), labelAt: z.tuple([z.number(), z.number()]).nullable(), meetings: z.number().int(), contributions: Count })),
  context: z.array(z.object({ code: z.string(), name: z.string(), path: z.string() })).describe('départements voisins, dessinés pour se repérer'),
  meetings: z.array(z.object({
    id: z.string(), title: z.string(), kind: MeetingKind, kindLabel: z.string(), place: z.string().nullable(),
    date: z.string().nullable(), dateText: z.string().nullable(), time: z.string().nullable(), departement: z.string().nullable(),
    commune: z.object({ code: z.string(), name: z.string() }).nullable().describe('la commune que nomme le lieu ; null : aucune reconnue'),
  })),
  contributions: z.object({
    threshold: z.number().int().describe('plus petit nombre de contributions publié pour un secteur'),
    total: z.number().int(), withPostcode: z.number().int(),
    areas: z.array(z.object({ postcode: z.string(), communes: z.array(z.string()), departement: z.string().nullable(), count: z.number().int() })),
    others: Count.describe('contributions des secteurs sous le seuil, réunies (« autres communes ») ; null : moins que le seuil'),
    othersAreas: z.number().int(), merged: z.boolean(),
  }),
  attributions: z.array(z.object({ what: z.string(), source: z.string(), licence: z.string(), licenceUrl: z.string() })),
});

