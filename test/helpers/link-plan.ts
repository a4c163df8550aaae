/**
 * A small made-up schéma territorial de santé (texts written for the tests, not the corpus): two défis with
 * two objectives each and three consultation items, for the link tests. `variant` changes what a newer file of
 * the same territory would print (an objective dropped, an item reworded).
 */
import type { ParsedPlan } from '../../src/ingest/plan/index.ts';

const src = (line: number) => ({ documentId: 'plan-essai', file: 'sts-essai.md', lineStart: line, lineEnd: line });

export function linkTestPlan(variant: 'first' | 'second' = 'first'): ParsedPlan {
  const objective = (code: string, number: number, title: string, objectif: string, line: number) => ({
    code, number, title, defiARelever: null, themes: [], parcours: [], motsCles: [], constats: null, objectif,
    resultatsAttendus: null, resultatsAttendusItems: [], chiffresCles: null, paroleCitoyen: null, objectifRegional: null, actions: [], source: src(line),
  });
  const defi = (code: string, number: number, title: string, objectives: ReturnType<typeof objective>[], line: number) => ({
    code, number, title, enjeux: null, themes: [], parcours: [], motsCles: [], objectifRegional: null, listedObjectives: [], objectives, source: src(line),
  });
  const o11 = objective('E1D1O1', 1, 'Favoriser l’installation des médecins en zone rurale', 'Aider les jeunes médecins à s’installer.', 10);
  const o12 = objective('E1D1O2', 2, 'Développer les maisons de santé pluriprofessionnelles', 'Une maison de santé par bassin de vie.', 20);
  const o21 = objective('E1D2O1', 1, 'Organiser la permanence des soins', 'Un médecin de garde joignable le week-end.', 30);
  const o22 = objective('E1D2O2', 2, 'Renforcer la prévention à l’école', 'Des actions de prévention avec les infirmières scolaires.', 40);
  const d1 = defi('E1D1', 1, 'Accéder à un médecin traitant', variant === 'first' ? [o11, o12] : [o11], 5);
  const d2 = defi('E1D2', 2, 'Soins non programmés et prévention', [o21, o22], 25);
  const items = variant === 'first'
    ? ['Faciliter l’installation des médecins', 'Ouvrir les urgences la nuit', 'Créer des maisons de santé']
    : ['Créer des maisons de santé', 'Ouvrir les urgences la nuit', 'Mieux informer sur les droits'];
  return {
    kind: 'plan', parser: 'sts-markdown', parserVersion: '1',
    document: { id: variant === 'first' ? 'a'.repeat(64) : 'b'.repeat(64), fileName: 'sts-essai.md', mediaType: 'text/markdown', sizeBytes: 1000 },
    plan: {
      title: 'Schéma territorial de santé', territory: 'Lot', period: { start: 2023, end: 2028 }, source: src(1),
      engagements: [{ code: 'E1', number: 1, title: 'Accès aux soins', defis: [d1, d2], source: src(2) }],
    },
    catalogue: [],
    oqos: [], indicators: [], missingFigures: [],
    consultationItems: items.map((text, i) => ({ section: 'cnr' as const, group: null, text, source: src(50 + i) })),
    warnings: [],
  };
}
