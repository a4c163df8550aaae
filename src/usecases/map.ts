/**
 * The map of a consultation (issue 16, point 5): the outlines of its département(s), its meetings at their
 * commune (the place as printed matched to a commune of the meeting's département) and the published
 * contributions counted by the postcode typed on the form, aggregated so that no one is identifiable: an area is
 * named only with at least MAP_AREA_THRESHOLD contributions, smaller ones are merged into « autres communes »,
 * and no count under the threshold is shown (docs/format-map.md).
 */
import { communeOfPlace, MAP_AREA_THRESHOLD, publishableAreas, publishableCount, type ContributionAreas } from '../domain/communes.ts';
import { DEPARTEMENTS, territoryName } from '../domain/geography.ts';
import { MEETING_KIND_LABELS } from '../domain/meeting.ts';
import type { ListedMeeting } from '../domain/agenda.ts';
import { consultationLevel } from '../domain/territory.ts';
import { publicMeeting } from '../privacy/public.ts';
import { publicCountsByDepartement, publicCountsByPostcode } from '../store/contribution-areas.ts';
import type { UseCaseContext } from './context.ts';
import { visibleConsultation } from './contributions.ts';
import { communeIndex, departementOutlines, MAP_ATTRIBUTIONS } from './geography-data.ts';

export interface MapDepartement {
  code: string;
  name: string;
  /** SVG path data in the map's viewBox, or null when no outline ships (overseas départements) */
  path: string | null;
  /** the centre of its outline's box, where the drawing writes its name: [x, y] in the viewBox, or null */
  labelAt: [number, number] | null;
  meetings: number;
  /** published contributions that name this département; null when fewer than the threshold */
  contributions: number | null;
}

export interface MapMeeting extends ListedMeeting {
  departement: string | null;
  /** the commune its place names, or null (no place, or none recognised) */
  commune: { code: string; name: string } | null;
}

export interface ConsultationMap {
  consultation: { slug: string; title: string; territory: string; territoryName: string; level: 'departement' | 'region' };
  /** the SVG viewBox around the consultation's départements: "minX minY width height" */
  viewBox: string | null;
  departements: MapDepartement[];
  /** neighbouring départements drawn for context (no figures) */
  context: { code: string; name: string; path: string }[];
  meetings: MapMeeting[];
  contributions: ContributionAreas & {
    /** published contributions of the consultation */
    total: number;
    /** of which with a postcode kept (the public form since the map exists) */
    withPostcode: number;
  };
  attributions: { what: string; source: string; licence: string; licenceUrl: string }[];
}

export async function consultationMap(ctx: UseCaseContext, slug: string): Promise<ConsultationMap> {
  const c = await visibleConsultation(ctx, slug);
  const level = consultationLevel(c);
  const codes = level === 'departement' ? [c.territory] : Object.keys(DEPARTEMENTS).filter((d) => DEPARTEMENTS[d]![1] === c.territory);
  const inScope = new Set(codes);
  const [communes, outlines] = await Promise.all([communeIndex(), departementOutlines()]);

  const meetings: MapMeeting[] = (await ctx.store.listMeetings(c.slug)).map(publicMeeting).map((m) => {
    const departement = m.territory && DEPARTEMENTS[m.territory] ? m.territory : level === 'departement' ? c.territory : null;
    const candidates = departement ? communes.byDepartement.get(departement) ?? [] : codes.flatMap((d) => communes.byDepartement.get(d) ?? []);
    const commune = communeOfPlace(m.place, candidates);
    return {
      id: m.id, title: m.title, kind: m.kind, kindLabel: MEETING_KIND_LABELS[m.kind], place: m.place ?? null,
      date: m.date ?? null, dateText: m.dateText ?? null, time: m.time ?? null,
      departement: departement ?? commune?.departement ?? null, commune: commune ? { code: commune.code, name: commune.name } : null,
    };
  });
  meetings.sort((a, b) => (a.commune?.name ?? '\uffff').localeCompare(b.commune?.name ?? '\uffff', 'fr') || (a.date ?? '').localeCompare(b.date ?? ''));

  const byPostcode = await publicCountsByPostcode(ctx.store, c.slug);
  const byDepartement = await publicCountsByDepartement(ctx.store, c.slug);
  const total = byDepartement.reduce((s, r) => s + r.count, 0);
  const areas = publishableAreas(byPostcode, (p) => communes.byPostcode.get(p) ?? [], (d) => inScope.has(d));

  const departements: MapDepartement[] = codes.map((code) => ({
    code, name: territoryName(code, 'departement'), path: outlines.get(code)?.path ?? null,
    labelAt: centre(outlines.get(code)?.bbox),
    meetings: meetings.filter((m) => m.departement === code).length,
    contributions: publishableCount(byDepartement.find((r) => r.departement === code)?.count ?? 0),
  }));
  const boxes = codes.map((d) => outlines.get(d)?.bbox).filter((b) => b !== undefined);
  let viewBox: string | null = null;
  const context: ConsultationMap['context'] = [];
  if (boxes.length) {
    const [x0, y0, x1, y1] = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
    const pad = Math.max(x1 - x0, y1 - y0) * 0.08;
    const [vx0, vy0, vx1, vy1] = [x0 - pad, y0 - pad, x1 + pad, y1 + pad];
    viewBox = [vx0, vy0, vx1 - vx0, vy1 - vy0].map((v) => Math.round(v * 10) / 10).join(' ');
    for (const o of outlines.values()) {
      if (inScope.has(o.code)) continue;
      if (o.bbox[0] < vx1 && o.bbox[2] > vx0 && o.bbox[1] < vy1 && o.bbox[3] > vy0) context.push({ code: o.code, name: territoryName(o.code, 'departement'), path: o.path });
    }
  }
  return {
    consultation: { slug: c.slug, title: c.title, territory: c.territory, territoryName: territoryName(c.territory, level), level },
    viewBox, departements, context, meetings,
    contributions: { ...areas, threshold: MAP_AREA_THRESHOLD, total, withPostcode: areas.areas.reduce((s, a) => s + a.count, 0) + (areas.others ?? 0) },
    attributions: MAP_ATTRIBUTIONS.map((a) => ({ ...a })),
  };
}

function centre(b: readonly [number, number, number, number] | undefined): [number, number] | null {
  return b ? [Math.round((b[0] + b[2]) / 2 * 10) / 10, Math.round((b[1] + b[3]) / 2 * 10) / 10] : null;
}
