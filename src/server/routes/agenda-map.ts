/**
 * The agenda of meetings and the map of a consultation (issue 16, point 5):
 * - `GET /api/agenda[?consultation=slug]`, `GET /api/consultations/:slug/carte` (JSON, docs/format-map.md);
 * - `GET /agenda.ics`, `GET /consultations/:slug/agenda.ics[?reunion=id]`: iCalendar files (src/server/ics.ts),
 *   registered at the root, beside the pages, so a calendar application subscribes to a plain address.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meetingAgenda } from '../../usecases/agenda.ts';
import { consultationMap } from '../../usecases/map.ts';
import type { AppContext } from '../context.ts';
import { agendaCalendar } from '../ics.ts';
import { errors, MeetingKind, SlugParams } from '../schemas.ts';
import { requestContext } from '../use-case-context.ts';

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
  departements: z.array(z.object({ code: z.string(), name: z.string(), path: z.string().nullable(), meetings: z.number().int(), contributions: Count })),
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

function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

export async function agendaMapRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['public'];
  r.get('/agenda', {
    config: { access: 'public' },
    schema: {
      tags, summary: 'Agenda des réunions : à venir, passées, sans date complète',
      querystring: z.object({ consultation: z.string().min(1).max(64).optional() }), response: { 200: AgendaResponse, ...errors(404) },
    },
  }, async (req) => meetingAgenda(requestContext(ctx, req), req.query.consultation ? { consultation: req.query.consultation } : {}));

  r.get('/consultations/:slug/carte', {
    config: { access: 'public' },
    schema: { tags, summary: 'Carte d’une consultation : réunions par commune, contributions publiées par secteur (seuil de 5)', params: SlugParams, response: { 200: MapResponse, ...errors(404) } },
  }, async (req) => consultationMap(requestContext(ctx, req), req.params.slug));
}

/** The calendar files, at the root of the site. */
export async function calendarRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/agenda.ics', {
    config: { access: 'public' },
    schema: { tags: ['public'], summary: 'Agenda de toutes les consultations publiques (iCalendar, RFC 5545)', produces: ['text/calendar'] },
  }, async (req, reply) => {
    const use = requestContext(ctx, req);
    const agenda = await meetingAgenda(use);
    const body = agendaCalendar(agenda, { name: 'Réunions des consultations', baseUrl: baseUrl(req), now: use.now() });
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', 'attachment; filename="agenda.ics"').header('cache-control', 'no-cache').send(body);
  });
  r.get('/consultations/:slug/agenda.ics', {
    config: { access: 'public' },
    schema: {
      tags: ['public'], summary: 'Agenda d’une consultation, ou d’une de ses réunions avec ?reunion=id (iCalendar, RFC 5545)', produces: ['text/calendar'],
      params: SlugParams, querystring: z.object({ reunion: z.string().min(1).max(200).optional() }),
    },
  }, async (req, reply) => {
    const use = requestContext(ctx, req);
    const agenda = await meetingAgenda(use, { consultation: req.params.slug, ...(req.query.reunion ? { meeting: req.query.reunion } : {}) });
    const one = req.query.reunion ? [...agenda.upcoming, ...agenda.past, ...agenda.undated][0] : undefined;
    const name = one ? `${one.kindLabel} : ${one.title}` : `Réunions — ${agenda.consultation!.title}`;
    const file = one ? `reunion-${req.params.slug}.ics` : `agenda-${req.params.slug}.ics`;
    const body = agendaCalendar(agenda, { name, baseUrl: baseUrl(req), now: use.now() });
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="${file.replace(/[^A-Za-z0-9._-]/g, '_')}"`).header('cache-control', 'no-cache').send(body);
  });
}
