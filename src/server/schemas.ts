/** Zod schemas of the API (they also produce the OpenAPI document). */
import { z } from 'zod';

// French messages for the validation errors the API returns
z.config(z.locales.fr());
import { CONSULTATION_STATUSES } from '../domain/consultation.ts';
import { COLLEGES, MEETING_KINDS } from '../domain/meeting.ts';
import { PLAN_ELEMENT_FIELDS } from '../domain/plan.ts';
import { SCOPE_LEVELS } from '../domain/territory.ts';
import { CONTRIBUTION_KINDS } from '../domain/contribution.ts';
import { MODERATION_PAGE_SIZES } from '../domain/moderation.ts';
import { BACK_OFFICE_SECTIONS, ROLES } from '../domain/roles.ts';
import { isInvisibleText, sanitizeText, visibleLength } from '../domain/text.ts';

export const SlugParams = z.object({ slug: z.string().min(1).max(64) });
export const IdParams = z.object({ id: z.string().min(1).max(300) });

export const College = z.enum(COLLEGES);
export const Kind = z.enum(CONTRIBUTION_KINDS);
export const ConsultationStatus = z.enum(CONSULTATION_STATUSES);
export const MeetingKind = z.enum(MEETING_KINDS);
export const ScopeLevel = z.enum(SCOPE_LEVELS);
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date attendue au format AAAA-MM-JJ');

export const ErrorResponse = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) });

/**
 * Free text typed by a person: cleaned by `sanitizeText` (control characters, lone surrogates),
 * trimmed, refused when nothing in it is visible, and measured in characters as people see them
 * (grapheme clusters, the web form's counter), not UTF-16 units.
 */
export function UserText(o: { min?: number; max: number }) {
  const min = o.min ?? 1;
  return z.string().describe(`${min} à ${o.max.toLocaleString('fr-FR').replace(/\u202F/g, '\u00A0')} caractères visibles (graphèmes : un emoji, une lettre accentuée comptent pour un)`)
    // a guard on raw size before counting: no grapheme takes more than a few units in practice
    .max(o.max * 16, `au plus ${o.max.toLocaleString('fr-FR').replace(/\u202F/g, '\u00A0')} caractères`)
    .transform((s) => sanitizeText(s).trim())
    .superRefine((s, ctx) => {
      if (isInvisibleText(s)) { ctx.addIssue({ code: 'custom', message: 'le texte ne contient aucun caractère visible' }); return; }
      const n = visibleLength(s);
      if (n < min) ctx.addIssue({ code: 'custom', message: `au moins ${min} caractère${min > 1 ? 's' : ''}` });
      if (n > o.max) ctx.addIssue({ code: 'custom', message: `au plus ${o.max.toLocaleString('fr-FR').replace(/\u202F/g, '\u00A0')} caractères (${n.toLocaleString('fr-FR').replace(/\u202F/g, '\u00A0')} reçus)` });
    });
}

/**
 * One entry of a list typed in a form (e.g. a workshop report): like UserText, except that an empty
 * entry (an unused row of the form) is allowed and left out by the route.
 */
export function UserTextEntry(o: { max: number }) {
  return z.string().describe(`au plus ${o.max.toLocaleString('fr-FR').replace(/\u202F/g, '\u00A0')} caractères visibles ; vide : entrée ignorée`)
    .max(o.max * 16, `au plus ${o.max.toLocaleString('fr-FR').replace(/\u202F/g, '\u00A0')} caractères`)
    .transform((s) => sanitizeText(s).trim())
    .superRefine((s, ctx) => {
      if (s === '') return;
      if (isInvisibleText(s)) { ctx.addIssue({ code: 'custom', message: 'l’entrée ne contient aucun caractère visible' }); return; }
      const n = visibleLength(s);
      if (n > o.max) ctx.addIssue({ code: 'custom', message: `au plus ${o.max.toLocaleString('fr-FR').replace(/\u202F/g, '\u00A0')} caractères (${n.toLocaleString('fr-FR').replace(/\u202F/g, '\u00A0')} reçus)` });
    });
}

export const Theme = z.object({
  code: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'code de thème : lettres, chiffres, - ou _'),
  label: z.string().min(1).max(300),
  description: z.string().max(2000).optional(),
  keywords: z.array(z.string().max(100)).max(100).default([]),
  local: z.boolean().default(false),
});

const count = z.number().int().min(0).max(1_000_000).nullable();
export const Participants = z.object({
  elus: count, institutionnels: count, professionnels: count, associations: count, usagers: count, autres: count, total: count,
});

export const Meeting = z.object({
  id: z.string(), title: z.string(), kind: MeetingKind,
  place: z.string().nullable(), territory: z.string().nullable(), date: z.string().nullable(), dateText: z.string().nullable(), time: z.string().nullable(),
  participants: Participants,
});

/** The public figures of a consultation (src/usecases/stats.ts publicFigures): public contributions only. */
export const ConsultationFigures = z.object({
  consultation: z.string(),
  contributions: z.number().describe('contributions publiques (publiées par la modération ou avec leur document source)'),
  documents: z.number().describe('documents sources importés'), meetings: z.number().describe('réunions de la consultation'),
  byTheme: z.record(z.string(), z.number()), byKind: z.record(z.string(), z.number()), byMeeting: z.record(z.string(), z.number()),
  byCollege: z.record(z.string(), z.number()), byChannel: z.record(z.string(), z.number()),
  withoutTheme: z.number().describe('contributions publiques sans thème'),
  participants: z.number().nullable().describe('somme des totaux de participants indiqués par les réunions ; null si aucune n’en indique'),
  meetingsWithParticipants: z.number().describe('réunions qui indiquent un total de participants'),
});

export const ConsultationSummary = z.object({
  slug: z.string(), title: z.string(),
  status: ConsultationStatus.describe('dérivé à la lecture : une consultation ouverte dont le dernier jour est passé est « closed »'),
  acceptsContributions: z.boolean().describe('le formulaire public accepte-t-il des contributions aujourd’hui (ouverte, dans sa période ou rouverte par un administrateur)'),
  closedReason: z.string().nullable().describe('pourquoi le formulaire refuse les contributions (le message que renvoie l’API), null si elle les accepte'),
  reopenedUntil: z.string().nullable().describe('rouverte par un administrateur après sa date de fin, jusqu’à ce jour compris'),
  territory: z.object({ code: z.string(), name: z.string(), level: ScopeLevel.describe('les codes se recouvrent (« 75 » : Paris ou la Nouvelle-Aquitaine) : le niveau dit lequel') }),
  periodStart: z.string().nullable(), periodEnd: z.string().nullable(),
  counts: z.object({ contributions: z.number(), meetings: z.number(), themes: z.number() }),
});

export const ConsultationDetail = ConsultationSummary.extend({
  description: z.string().nullable(),
  themes: z.array(Theme),
  meetings: z.array(Meeting),
});

export const PublicContribution = z.object({
  id: z.string(), text: z.string(), themes: z.array(z.string()), kind: z.string().nullable(), meeting: z.string().nullable(),
  college: z.string().nullable(), channel: z.string(), date: z.string().nullable(), territory: z.string().nullable(),
});

export const Masked = z.object({ kind: z.string(), start: z.number(), end: z.number(), original: z.string().optional() });

export const ModerationItem = PublicContribution.extend({
  status: z.enum(['pending', 'published', 'rejected']),
  reason: z.string().nullable(),
  themeAssignments: z.array(z.object({ theme: z.string(), by: z.string(), probability: z.number().optional() })),
  masked: z.array(Masked),
  original: z.string().optional(),
});

export const Page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** GET /admin/consultations/:slug/moderation: the queue's filters (combined), reflected in the web app's URL. */
export const ModerationQuery = PageQuery.extend({
  status: z.enum(['pending', 'published', 'rejected']).default('pending'),
  theme: z.string().min(1).max(64).optional(),
  meeting: z.string().min(1).max(300).optional(),
  channel: z.enum(['atelier', 'en_ligne', 'formulaire', 'courrier', 'import_tableur', 'autre']).optional(),
  q: z.string().max(200).optional().describe('recherche plein texte (racines françaises), résultats les plus pertinents d’abord, au plus 1 000'),
  pageSize: z.coerce.number().int().refine((n) => (MODERATION_PAGE_SIZES as readonly number[]).includes(n), 'taille de page : 20, 50 ou 100').default(20),
});

export const ModerationCounts = z.object({ pending: z.number(), published: z.number(), rejected: z.number() })
  .describe('contributions de chaque statut qui répondent aux autres critères');

export const ModerationPage = Page(ModerationItem).extend({ counts: ModerationCounts });

/** POST /admin/consultations/:slug/moderation: one decision on a selection, by ids or by the queue's filter. */
export const BulkModerationBody = z.object({
  action: z.enum(['publish', 'reject']),
  reason: z.string().max(1000).optional().describe('obligatoire pour un rejet ; inscrit au journal pour chaque contribution'),
  ids: z.array(z.string().min(1).max(300)).min(1).max(500).optional(),
  filter: ModerationQuery.pick({ status: true, theme: true, meeting: true, channel: true, q: true }).extend({
    expected: z.number().int().min(0).max(1_000_000).describe('nombre de contributions que la personne a confirmé : refus (409) si le filtre en retient un autre'),
  }).optional().describe('toutes les contributions que le filtre retient (à la place de ids)'),
});

export const User = z.object({
  id: z.string(), email: z.string(), role: z.enum(ROLES),
  sections: z.array(z.enum(BACK_OFFICE_SECTIONS)).describe('parties de l’espace ARS que ce rôle peut utiliser (la même table que les contrôles d’accès des routes)'),
});

export const IdeaGroupView = z.object({
  id: z.string(), parent: z.string().nullable(), theme: z.string().nullable(), label: z.string(), labelByHuman: z.boolean(),
  size: z.number(), members: z.array(z.string()), quotes: z.array(z.string()), lineage: z.array(z.record(z.string(), z.unknown())),
});

/** A contribution as the analysis page shows it inside its group (GET …/groups). */
export const GroupMemberView = z.object({
  text: z.string(), kind: z.string().nullable(), status: z.string(), meeting: z.string().nullable(), college: z.string().nullable(),
  themes: z.array(z.object({ theme: z.string(), by: z.string(), probability: z.number().optional() })),
});

/** GET /admin/consultations/:slug/groups: the groups and every contribution they contain, by id. */
export const GroupsResponse = z.object({ items: z.array(IdeaGroupView), contributions: z.record(z.string(), GroupMemberView) });

export const ThemeAssignmentView = z.object({ theme: z.string(), provenance: z.record(z.string(), z.unknown()) });

export const Ok = z.object({ ok: z.literal(true) });

/** Common error responses for the OpenAPI document. */
export function errors(...codes: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(codes.map((c) => [c, ErrorResponse]));
}

/** A job (src/jobs): long work followed by GET /api/admin/jobs/:id until it is done (result) or failed (error). */
export const JobView = z.object({
  id: z.string(),
  kind: z.string(),
  consultation: z.string().nullable(),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  step: z.string().nullable(),
  progress: z.object({ done: z.number(), total: z.number(), label: z.string().nullable() }),
  steps: z.array(z.string()),
  result: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional().describe('le champ en cause : « force » pour un import à confirmer') }).nullable(),
  attempts: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** A meeting's workshop report, as the back office reopens it (GET/POST /admin/meetings/:id/report). */
export const WorkshopReport = z.object({
  meeting: Meeting,
  status: z.enum(['none', 'draft', 'submitted']).describe('none : rien d’enregistré ; draft : brouillon (submittedAt dit si une version a déjà été soumise) ; submitted : soumis'),
  participants: Participants,
  themes: z.array(z.object({ theme: z.string(), problematiques: z.array(z.string()), solutions: z.array(z.string()), leviers: z.array(z.string()) }))
    .describe('le brouillon tel que saisi, ou les entrées de la dernière soumission (texte pseudonymisé)'),
  contributions: z.number().describe('contributions de la dernière soumission'), ids: z.array(z.string()),
  anomalies: z.array(z.object({ level: z.enum(['warning', 'info']), code: z.string(), message: z.string() })),
  updatedAt: z.string().nullable(), updatedBy: z.string().nullable(), submittedAt: z.string().nullable(),
});

/* Schémas territoriaux de santé (issue 13): public documents; the account that imported one is never shown. */
const PlanSource = z.object({
  documentId: z.string(), file: z.string(), page: z.number().optional(),
  lineStart: z.number().optional(), lineEnd: z.number().optional(), charStart: z.number().optional(), charEnd: z.number().optional(),
}).describe('où l’élément est imprimé dans le document (lignes 1-based, décalages UTF-16)');
const PlanHeaderFields = {
  id: z.string(), territory: z.string().describe('code du département'), territoryName: z.string(), region: z.string(), title: z.string(),
  period: z.object({ start: z.number(), end: z.number() }).nullable(), fileName: z.string(), documentSha256: z.string(),
  parser: z.string(), parserVersion: z.string(), consultation: z.string().nullable().describe('la consultation à laquelle le schéma répond'), importedAt: z.string(),
};
export const PlanSummary = z.object(PlanHeaderFields);
const PlanAction = z.object({ text: z.string(), placement: z.enum(['heading', 'displaced', 'orphan']).describe('heading : sous « En pratique » ; displaced : après un encadré ; orphan : hors de tout champ'), source: PlanSource });
const ElementFields = { code: z.string(), number: z.number(), title: z.string().describe('titre imprimé dans ce schéma'), catalogueTitle: z.string().nullable().describe('titre du catalogue régional (premier schéma importé)'), source: PlanSource };
/** « Ce que vous avez dit » (issue 14): what people said that a decided link says the plan takes up (public text only). */
export const PlanSaid = z.object({
  source: z.object({ kind: z.enum(['contribution', 'idea', 'planItem']), id: z.string() }),
  text: z.string().describe('libellé de l’idée commune, texte publié (pseudonymisé) de la contribution, ou texte imprimé de l’élément de consultation du schéma'),
  kind: z.enum(['taken_up', 'partly']).describe('taken_up : repris ; partly : repris en partie'),
  count: z.number().int().nullable().describe('idée commune : nombre de contributions publiées (sous-idées comprises)'),
});
const PlanObjective = z.object({
  ...ElementFields, defiARelever: z.string().nullable(), themes: z.array(z.string()), parcours: z.array(z.string()), motsCles: z.array(z.string()),
  constats: z.string().nullable(), objectif: z.string().nullable(), resultatsAttendus: z.string().nullable(), resultatsAttendusItems: z.array(z.string()),
  chiffresCles: z.string().nullable(), paroleCitoyen: z.string().nullable(), objectifRegional: z.string().nullable(), actions: z.array(PlanAction),
  said: z.array(PlanSaid).describe('« Ce que vous avez dit » : liens confirmés ou indiqués par un document, sources publiques seulement'),
});
const PlanDefi = z.object({
  ...ElementFields, enjeux: z.string().nullable(), themes: z.array(z.string()), parcours: z.array(z.string()), motsCles: z.array(z.string()),
  objectifRegional: z.string().nullable(), listedObjectives: z.array(z.string()), objectives: z.array(PlanObjective),
  said: z.array(PlanSaid).describe('ce qui est relié au défi lui-même, faute d’objectif qui convienne'),
});
const OqosValue = z.object({
  kind: z.enum(['integer', 'range', 'not_applicable', 'missing']).describe('not_applicable : « - » (jamais 0) ; missing : case vide'),
  value: z.number().optional(), min: z.number().optional(), max: z.number().optional(), raw: z.string().describe('le texte imprimé'),
});
const OqosRow = z.object({
  activity: z.string(), activityIndex: z.number(), table: z.string(), tableIndex: z.number(), regime: z.string().nullable(), zone: z.string().nullable(),
  modalite: z.string().nullable(), mention: z.string().nullable(), mentionNA: z.boolean(), group: z.string().nullable(),
  existing: OqosValue.nullable(), target: OqosValue.nullable(),
  cells: z.array(z.object({ column: z.string(), regime: z.string().nullable(), value: OqosValue })), starred: z.boolean(), raw: z.string(), source: PlanSource,
});
export const PlanDetail = z.object({
  ...PlanHeaderFields,
  engagements: z.array(z.object({ ...ElementFields, defis: z.array(PlanDefi) })),
  oqos: z.array(OqosRow).describe('« Évolution de l’offre en regard des besoins » : une ligne par ligne imprimée'),
  consultationItems: z.array(z.object({ section: z.enum(['enjeux', 'defis_cts', 'cnr']), group: z.string().nullable(), text: z.string(), source: PlanSource })),
  missingFigures: z.array(z.object({ kind: z.enum(['chart', 'map', 'finance']), title: z.string(), source: PlanSource })).describe('graphiques et cartes perdus à l’extraction : signalés, jamais inventés'),
  warnings: z.array(z.object({ level: z.string(), code: z.string(), message: z.string(), source: PlanSource.partial().optional() })).describe('anomalies relevées à l’import (codes mal imprimés…)'),
  indicators: z.object({
    territory: z.object({ code: z.string(), name: z.string(), level: z.literal('departement'), region: z.object({ code: z.string(), name: z.string() }).nullable() }),
    items: z.array(z.object({
      id: z.string(), label: z.string(), unit: z.string().nullable(), year: z.number().int().nullable(), value: z.number().nullable(),
      regionValue: z.number().nullable(), franceValue: z.number().nullable(), source: z.string().nullable(),
    })),
  }).describe('data repère du schéma, au format de GET /api/consultations/:slug/indicators'),
});
export const PlanElementCorrection = z.object({
  field: z.enum(PLAN_ELEMENT_FIELDS),
  value: z.string().max(20_000).nullable().describe('null ou vide : champ effacé (pas pour le titre ni le code)'),
});
export const PlanElementView = z.object({
  planId: z.string(), code: z.string(), kind: z.string(), parentCode: z.string().nullable(), values: z.record(z.string(), z.string().nullable()),
});

// ---- coverage report (issue 14): the verified document as the public page reads it ----
/** Text, or a verified count shown as its value (the page links it to its label). */
const CoverageInline = z.union([z.string(), z.object({ figure: z.string() })]);
export interface CoverageIdeaView { label: string; figure: string; quotes: string[]; children: CoverageIdeaView[] }
const CoverageIdea: z.ZodType<CoverageIdeaView> = z.lazy(() => z.object({ label: z.string(), figure: z.string(), quotes: z.array(z.string()), children: z.array(CoverageIdea) }));
const CoverageBlock = z.discriminatedUnion('type', [
  z.object({ type: z.literal('paragraph'), content: z.array(CoverageInline) }),
  z.object({ type: z.literal('note'), level: z.enum(['info', 'warning']), content: z.array(CoverageInline) }),
  z.object({
    type: z.literal('table'), caption: z.string(), columns: z.array(z.string()),
    rows: z.array(z.object({ header: z.string(), total: z.boolean(), cells: z.array(z.union([z.object({ text: z.string() }), z.object({ figure: z.string() })])) })),
  }),
  z.object({ type: z.literal('ideas'), intro: z.array(CoverageInline), items: z.array(CoverageIdea) }),
  z.object({ type: z.literal('quotes'), intro: z.array(CoverageInline), quotes: z.array(z.string()) }),
]);
export type CoverageBlockView = z.infer<typeof CoverageBlock>;
export interface CoverageSectionView { key: string; level: number; title: string; blocks: CoverageBlockView[]; sections: CoverageSectionView[] }
const CoverageSection: z.ZodType<CoverageSectionView> = z.lazy(() => z.object({
  key: z.string(), level: z.number().int(), title: z.string(), blocks: z.array(CoverageBlock), sections: z.array(CoverageSection),
}));
export const CoverageView = z.object({
  plan: z.object({ id: z.string(), title: z.string(), territory: z.string(), territoryName: z.string(), period: z.object({ start: z.number(), end: z.number() }).nullable() }),
  consultation: z.object({ slug: z.string(), title: z.string() }),
  title: z.string(), subtitle: z.string(), generatedAt: z.string(),
  sections: z.array(CoverageSection).describe('le texte est déjà accordé aux nombres (« 1 contribution reprise »)'),
  figures: z.record(z.string(), z.object({ value: z.number(), text: z.string().describe('la valeur telle qu’imprimée : « 66,7 % »'), label: z.string() })),
  quotes: z.record(z.string(), z.object({ text: z.string(), excerpt: z.boolean(), source: z.string().describe('fichier et place de la contribution'), repeatedBy: z.number().int().nullable() })),
  verification: z.object({ figures: z.number().int(), quotes: z.number().int() }).describe('chiffres recalculés et citations retrouvées à la construction'),
});
