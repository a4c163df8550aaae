/**
 * Builds the training set of the built-in French kind model (src/analysis/classify/builtin-kinds.data.ts) from
 * the project's own labelled texts, all written for Fabrique: the demo phrase pieces (scripts/demo-phrases.ts:
 * constats, propositions, témoignages), the demo workshop reports (demo/ateliers/*.md, kinds from their
 * sections) and the extra examples below (written for this purpose, in the styles the demo lacks: levers and
 * obstacles, first-person stories, short spoken proposals, other topics than health). Never corpus text.
 * Deterministic: the same inputs give the same file.
 *
 *   node --import tsx scripts/make-kind-examples.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CNR_SANTE_THEMES } from '../src/domain/theme.ts';
import { parseBytes } from '../src/ingest/import-file.ts';
import { PHRASES } from './demo-phrases.ts';

type Kind = 'constat' | 'proposition' | 'levier_frein' | 'temoignage';
const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'src/analysis/classify/builtin-kinds.data.ts');

const EXTRA: Record<Kind, string[]> = {
  constat: [
    'Les bus ne passent plus qu’une fois par jour dans les hameaux.',
    'Le nombre de places en crèche est très inférieur à la demande sur le territoire.',
    'Les délais d’instruction des dossiers dépassent souvent six mois.',
    'La ligne de train vers la préfecture a perdu la moitié de ses arrêts en dix ans.',
    'Il y a de moins en moins de commerces dans les centres-bourgs.',
    'Les jeunes du canton n’ont presque aucune offre de loisirs le week-end.',
    'Les impôts locaux ont fortement augmenté alors que les services ont diminué.',
    'La fibre n’arrive toujours pas dans plusieurs communes du plateau.',
    'Les routes départementales sont en mauvais état après chaque hiver.',
    'Le prix des loyers empêche les jeunes ménages de s’installer en ville.',
    'Trop de démarches se font uniquement en ligne, ce qui exclut une partie des habitants.',
    'Peu de familles connaissent les aides auxquelles elles ont droit.',
    'Nous manquons de pédiatres et d’orthophonistes sur tout le secteur.',
    'Les files d’attente au guichet de la préfecture sont interminables.',
    'Le réseau de pistes cyclables est discontinu et dangereux aux carrefours.',
  ],
  proposition: [
    'Créer une ligne de bus à la demande pour les villages.',
    'Pourquoi pas un service de covoiturage organisé par la communauté de communes ?',
    'Il faudrait ouvrir le guichet le samedi matin pour ceux qui travaillent.',
    'Proposer des permanences itinérantes des services publics dans les mairies.',
    'Baisser la taxe foncière pour les propriétaires qui rénovent un logement vacant.',
    'Installer des abris vélos sécurisés près des gares.',
    'Financer des navettes entre les bourgs et la gare la plus proche.',
    'Simplifier les formulaires et garder un accueil physique dans chaque canton.',
    'Mettre en place un guichet unique pour toutes les démarches sociales.',
    'Rendre les transports scolaires gratuits pour toutes les familles.',
    'Il faut plus de contrôles de vitesse devant les écoles.',
    'Développer des tiers-lieux pour le télétravail dans les petites communes.',
    'Et si on mutualisait les cantines des écoles voisines ?',
    'Nous proposons d’ouvrir une maison de services au public dans chaque bassin de vie.',
    'Augmenter les aides à l’installation des jeunes professionnels en zone rurale.',
    'Pourquoi pas des consultations le soir pour ceux qui travaillent ?',
    'Pourquoi ne pas ouvrir la cantine pendant les vacances scolaires ?',
    'Et si la mairie prêtait une salle aux spécialistes de passage ?',
    'On pourrait organiser un marché de producteurs chaque semaine.',
    'Je propose un ramassage scolaire pour les hameaux isolés.',
  ],
  levier_frein: [
    'Le principal frein reste le coût du transport pour les familles modestes.',
    'La mobilisation des bénévoles est un atout sur lequel s’appuyer.',
    'Le manque de financement pérenne bloque la plupart des projets.',
    'Les élus locaux sont prêts à s’engager, c’est un levier important.',
    'La réglementation actuelle empêche de partager les locaux entre services.',
    'L’obstacle majeur est la lourdeur administrative des appels à projets.',
    'Les réseaux déjà en place entre associations facilitent la mise en œuvre.',
    'La réticence de certains professionnels à travailler ensemble freine les projets.',
    'Il faudra lever la contrainte des horaires d’ouverture fixés au niveau national.',
    'Le soutien de la région et du département serait décisif pour démarrer.',
    'La difficulté à recruter du personnel qualifié limite toute extension du service.',
    'Un frein : le partage des données entre structures n’est pas autorisé.',
    'Levier : s’appuyer sur les communautés de communes qui ont déjà des agents.',
    'L’absence de locaux disponibles est une limite forte pour ce projet.',
    'Les habitudes de travail cloisonnées sont un frein culturel à lever.',
  ],
  temoignage: [
    'Je prends le bus tous les matins et il est arrivé en retard trois fois cette semaine.',
    'Mon fils a dû abandonner son stage parce qu’il n’y avait aucun transport pour y aller.',
    'Nous avons attendu huit mois pour obtenir une place en crèche, j’ai dû réduire mon temps de travail.',
    'L’an dernier, j’ai perdu mon emploi et personne ne m’a expliqué mes droits.',
    'Ma voisine âgée ne sort plus de chez elle depuis que l’épicerie a fermé.',
    'J’ai fait trois fois le trajet jusqu’à la préfecture pour le même papier.',
    'Quand je suis arrivée dans la commune, j’ai mis un an à trouver un logement.',
    'Mon mari est agriculteur, il travaille sept jours sur sept et ne voit jamais de médecin.',
    'Je suis aide-soignante de nuit et je fais quarante minutes de route pour rentrer.',
    'Nous avons dû vendre notre deuxième voiture, depuis je dépends de mes voisins pour les courses.',
    'Mes enfants prennent le car scolaire à sept heures moins le quart.',
    'J’ai payé ma taxe d’habitation deux fois à cause d’une erreur et j’attends toujours le remboursement.',
    'Ma fille a fait une crise d’angoisse au lycée et on nous a renvoyés vers un CMP à une heure de route.',
    'Personnellement, je n’ai jamais réussi à joindre le service par téléphone.',
    'Moi, j’ai vu mon père attendre toute une nuit sur un brancard.',
  ],
};

async function workshops(): Promise<[Kind, string][]> {
  const out: [Kind, string][] = [];
  for (const name of ['atelier-espalion.md', 'atelier-laissac.md', 'atelier-requista.md']) {
    const bytes = readFileSync(join(ROOT, 'demo/ateliers', name));
    const doc = await parseBytes(bytes, name, { consultation: 'demo', themes: [...CNR_SANTE_THEMES] });
    for (const c of doc.contributions) if (c.kind === 'constat' || c.kind === 'proposition' || c.kind === 'levier_frein') out.push([c.kind, c.text]);
  }
  return out;
}

const fill = (s: string) => s.replaceAll('{ville}', 'Rodez').replaceAll('{hopital}', 'l’hôpital de Rodez');

async function main(): Promise<void> {
  const rows: [Kind, string][] = [];
  for (const p of Object.values(PHRASES)) {
    for (const t of p.constats) rows.push(['constat', fill(t)]);
    for (const t of p.propositions) rows.push(['proposition', fill(t)]);
    for (const t of p.temoignages) rows.push(['temoignage', fill(t)]);
  }
  rows.push(...await workshops());
  for (const [k, ts] of Object.entries(EXTRA) as [Kind, string[]][]) for (const t of ts) rows.push([k, t]);
  const seen = new Set<string>();
  const unique = rows.filter(([, t]) => (seen.has(t) ? false : (seen.add(t), true)));
  const body = unique.map(([k, t]) => `  [${JSON.stringify(k)}, ${JSON.stringify(t)}],`).join('\n');
  writeFileSync(OUT, `// Generated by scripts/make-kind-examples.ts from the project's own demo texts and written examples: do not edit.\n`
    + `export const BUILTIN_KIND_EXAMPLES: readonly (readonly ['constat' | 'proposition' | 'levier_frein' | 'temoignage', string])[] = [\n${body}\n];\n`);
  const counts: Record<string, number> = {};
  for (const [k] of unique) counts[k] = (counts[k] ?? 0) + 1;
  console.log(`${unique.length} examples written to ${OUT}`, counts);
}

await main();
