/**
 * Traceability (issue 14): what people said (a contribution, a common idea, or an item a plan lists as coming
 * from the consultation) linked to what the plan does (an objective, or a défi when no objective fits). The
 * machine suggests, people decide; a document may state a link itself.
 */

/** What a link starts from. A plan item is one of the plan's own consultation items (« Les propositions du CNR »). */
export type LinkSourceKind = 'contribution' | 'idea' | 'planItem';
export const LINK_SOURCE_KINDS: readonly LinkSourceKind[] = ['contribution', 'idea', 'planItem'];

/**
 * A source: a contribution id, an idea group id, or for a plan item its position in the plan's
 * consultation items as a canonical decimal string (« 0 », « 1 »…, PLAN_ITEM_ID; the plan id is the link’s).
 */
export interface LinkSourceRef {
  kind: LinkSourceKind;
  id: string;
}

/** How far the plan answers the source. `national` and `not_taken_up` carry no target. */
export type LinkKind = 'taken_up' | 'partly' | 'national' | 'not_taken_up';
export const LINK_KINDS: readonly LinkKind[] = ['taken_up', 'partly', 'national', 'not_taken_up'];

/** Where a link comes from: a model's suggestion, a person's decision on it, or a document that states it. */
export type LinkStatus = 'suggested' | 'confirmed' | 'rejected' | 'stated';
export const LINK_STATUSES: readonly LinkStatus[] = ['suggested', 'confirmed', 'rejected', 'stated'];

/** Why a candidate was ranked: shown to the reviewer, never a black box. */
export interface LinkEvidence {
  /**
   * `term`: a shared stem; `phrase`: a shared multi-word phrase; `lexicon`: an acronym of the health system
   * matched through its expansion (or the reverse); `field`: a thème / parcours / mot clé of the element;
   * `reuse`: the plan reuses the source's wording (a long shared passage)
   */
  kind: 'term' | 'phrase' | 'lexicon' | 'field' | 'reuse';
  /** the matched words as they read in the plan (or the lexicon entry) */
  text: string;
  /** which field of the element matched: title, constats, objectif, enPratique, themes… */
  field?: string;
  /** 1-based line of the plan document where the match reads, when known */
  line?: number;
  /** share of the score this piece brings, 0..1 */
  weight?: number;
}

/** One ranked plan element for a source. */
export interface LinkCandidate {
  /** catalogue code: « E3D1O5 » (objective) or « E3D1 » (défi) */
  target: string;
  targetKind: 'objective' | 'defi';
  /** 0..1, comparable within one plan and one model version */
  score: number;
  evidence: LinkEvidence[];
}

/**
 * The suggestions for one source, best first. `nothingFits` when the source's fit — how far the plan's action fields
 * (titles, « L’objectif », « Les résultats attendus », « En pratique ») take it up — stays under `threshold`: the
 * candidates may still read the same words, in a diagnosis rather than an action.
 */
export interface LinkSuggestion {
  source: LinkSourceRef;
  candidates: LinkCandidate[];
  nothingFits: boolean;
  threshold: number;
  model: string;
  version: string;
}

/** A stored link (table plan_links). */
export interface PlanLink {
  id: string;
  planId: string;
  /** the consultation the source belongs to (null for a plan item of a plan imported without one) */
  consultation: string | null;
  source: LinkSourceRef;
  /** element code; null for `national` and `not_taken_up` */
  target: string | null;
  kind: LinkKind;
  status: LinkStatus;
  /** suggested links: the model's score and evidence (kept once decided, to show why it was proposed) */
  score: number | null;
  /** suggested links: the source's fit when suggested (see LinkSuggestion); the review says « nothing fits » under the model's threshold */
  sourceFit?: number;
  evidence: LinkEvidence[];
  model: string | null;
  modelVersion: string | null;
  /** `partly`: what is left out; `not_taken_up` / `national`: the reason; a rejection may say why */
  note: string | null;
  /** the person who confirmed, rejected or marked it (null while only suggested) */
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
}

/** A decision a reviewer takes on a source (the use case and the API take these names). */
export type LinkDecision = 'confirm' | 'reject' | 'national' | 'not_taken_up';

/** Kinds that say the plan answers the source, hence shown under an objective (« ce que vous avez dit »). */
export function answersSource(link: Pick<PlanLink, 'kind' | 'status' | 'target'>): boolean {
  return (link.status === 'confirmed' || link.status === 'stated') && link.target !== null && (link.kind === 'taken_up' || link.kind === 'partly');
}

/** A decided link, the only kind a coverage report, a restitution or a public page shows. */
export function isDecided(link: Pick<PlanLink, 'status'>): boolean {
  return link.status === 'confirmed' || link.status === 'stated';
}

export const LINK_KIND_LABELS: Record<LinkKind, string> = {
  taken_up: 'Repris',
  partly: 'Repris en partie',
  national: 'Relève du niveau national',
  not_taken_up: 'Non repris',
};

export const LINK_STATUS_LABELS: Record<LinkStatus, string> = {
  suggested: 'Suggéré',
  confirmed: 'Confirmé',
  rejected: 'Écarté',
  stated: 'Indiqué par le document',
};

/** Notes are short human text: a bound the API and the use case enforce. */
export const LINK_NOTE_MAX = 1000;

/**
 * The one rule saying which decided links apply to each public contribution, shared by the coverage report, the
 * restitution and the public plan page (so that one link means the same thing everywhere). Per plan: a contribution's
 * own decided links when it has any; else its idea groups' (`groupMembers`: public members, sub-ideas included), less
 * those to a target rejected for the contribution itself. `links` may hold any status: only decided links apply and
 * only rejections of contributions are read of the others. The caller keeps the links the public may see.
 * Returns contribution id → applying links (contributions with none are absent).
 */
export function applicableLinks(
  links: readonly PlanLink[],
  contributions: Iterable<string>,
  groupMembers: (idea: string) => Iterable<string>,
): Map<string, PlanLink[]> {
  const own = new Map<string, PlanLink[]>();
  const inherited = new Map<string, PlanLink[]>();
  const rejected = new Set<string>();
  const at = (plan: string, id: string) => `${plan}\u0000${id}`;
  for (const l of links) {
    if (l.source.kind === 'contribution') {
      if (isDecided(l)) own.set(at(l.planId, l.source.id), [...(own.get(at(l.planId, l.source.id)) ?? []), l]);
      else if (l.status === 'rejected' && l.target !== null) rejected.add(`${at(l.planId, l.source.id)}\u0000${l.target}`);
    } else if (l.source.kind === 'idea' && isDecided(l)) {
      for (const id of groupMembers(l.source.id)) {
        const list = inherited.get(at(l.planId, id)) ?? [];
        if (!list.includes(l)) list.push(l);
        inherited.set(at(l.planId, id), list);
      }
    }
  }
  const plans = [...new Set(links.map((l) => l.planId))];
  const out = new Map<string, PlanLink[]>();
  for (const c of contributions) {
    const list: PlanLink[] = [];
    for (const p of plans) {
      const mine = own.get(at(p, c));
      if (mine) list.push(...mine);
      else for (const l of inherited.get(at(p, c)) ?? []) if (l.target === null || !rejected.has(`${at(p, c)}\u0000${l.target}`)) list.push(l);
    }
    if (list.length > 0) out.set(c, list);
  }
  return out;
}

/** Whether one of `links` (applying to a source) says the plan takes it up in `target` of `plan`. */
export function appliesTo(links: readonly PlanLink[] | undefined, plan: string, target: string): boolean {
  return (links ?? []).some((l) => l.planId === plan && l.target === target && answersSource(l));
}

/** A plan item's id is its position written the canonical way: « 0 », « 12 » — never « 01 », « +1 » or « 1.0 ». */
export const PLAN_ITEM_ID = /^(0|[1-9][0-9]*)$/;

/** The position a plan item id names among `count` items, or undefined (not canonical, or out of range). */
export function planItemIndex(id: string, count: number): number | undefined {
  if (!PLAN_ITEM_ID.test(id)) return undefined;
  const i = Number(id);
  return i < count ? i : undefined;
}
