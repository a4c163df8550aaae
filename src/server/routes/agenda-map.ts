/**
 * The agenda of meetings and the map of a consultation (issue 16, point 5):
 * - `GET /api/agenda[?consultation=slug]`, `GET /api/consultations/:slug/carte` (JSON, docs/format-map.md);
 * - `GET /api/agenda.ics`, `GET /api/consultations/:slug/agenda.ics[?reunion=id]`: iCalendar files (src/server/ics.ts),
 *   registered at the root, beside the pages, so a calendar application subscribes to a plain address.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { meetingAgenda } from '../../usecases/agenda.ts';
import { consultationMap } from '../../usecases/map.ts';
import type { AppContext } from '../context.ts';
import { agendaCalendar } from '../ics.ts';
import { errors, SlugParams } from '../schemas.ts';
import { AgendaResponse, MapResponse } from './agenda-map-schemas.ts';
import { requestContext } from '../use-case-context.ts';

/** The site's address in calendar links: the configured public address when there is one, never a client's Host then. */
function baseUrl(req: FastifyRequest, ctx: AppContext): string {
  return ctx.mail?.publicUrl ?? `${req.protocol}://${req.host}`;
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

/** The calendar files (under /api like every route, so the access table and the read limit cover them). */
export async function calendarRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/agenda.ics', {
    config: { access: 'public' },
    schema: { tags: ['public'], summary: 'Agenda de toutes les consultations publiques (iCalendar, RFC 5545)', produces: ['text/calendar'] },
  }, async (req, reply) => {
    const use = requestContext(ctx, req);
    const agenda = await meetingAgenda(use);
    const body = agendaCalendar(agenda, { name: 'Réunions des consultations', baseUrl: baseUrl(req, ctx), now: use.now() });
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
    const body = agendaCalendar(agenda, { name, baseUrl: baseUrl(req, ctx), now: use.now() });
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="${file.replace(/[^A-Za-z0-9._-]/g, '_')}"`).header('cache-control', 'no-cache').send(body);
  });
}
