import { ImportError } from '../types.ts';
import { containsWords, normalizeKey } from './normalize.ts';
import { plural } from '../../text/french.ts';

/** What a column can hold. */
export const ROLES = ['text', 'title', 'theme', 'date', 'college', 'territory', 'author', 'kind', 'channel'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  text: 'texte', title: 'titre', theme: 'thème', date: 'date', college: 'collège', territory: 'territoire',
  author: 'pseudonyme', kind: 'type', channel: 'canal',
};

/** Header synonyms, French and English, written normalised (see normalizeKey). */
export const SYNONYMS: Record<Role, string[]> = {
  text: ['texte', 'text', 'contribution', 'contributions', 'contenu', 'content', 'body', 'corps', 'proposition',
    'propositions', 'comment body', 'commentaire', 'commentaires', 'comment', 'comments', 'message', 'avis', 'verbatim',
    'idee', 'idees', 'expression', 'description', 'reponse', 'remarque', 'remarques', 'observation', 'observations',
    'votre contribution', 'votre proposition', 'votre avis', 'votre message', 'temoignage', 'suggestion'],
  title: ['titre', 'title', 'intitule', 'objet', 'resume', 'titre de la contribution'],
  theme: ['theme', 'themes', 'thematique', 'thematiques', 'category', 'categorie', 'categories', 'axe', 'sujet',
    'topic', 'rubrique', 'theme principal', 'thematique principale', 'category name'],
  date: ['date', 'datetime', 'date de depot', 'date de publication', 'date de creation', 'date de la contribution',
    'published at', 'created at', 'submitted at', 'horodatage', 'timestamp', 'date et heure', 'envoye le', 'depose le',
    'date de saisie'],
  college: ['college', 'profil', 'statut', 'qualite', 'vous etes', 'type de participant', 'type d acteur',
    'categorie de participant', 'categorie d acteur', 'role', 'public', 'profil du participant', 'en tant que'],
  territory: ['territoire', 'code postal', 'cp', 'postcode', 'postal code', 'zip', 'zip code', 'departement', 'dept',
    'dep', 'commune', 'ville', 'localite', 'code commune', 'code insee', 'lieu', 'scope name', 'secteur'],
  author: ['pseudonyme', 'pseudo', 'auteur', 'author', 'author id', 'auteur id', 'participant id', 'contributeur',
    'contributrice', 'identifiant participant', 'nickname', 'user id', 'participant'],
  kind: ['type', 'nature', 'type de contribution', 'nature de la contribution', 'kind', 'genre'],
  channel: ['canal', 'channel', 'mode de contribution', 'mode de participation', 'origine', 'support', 'source'],
};

/** A header that names an identifier or a count is never a text column. */
const NOT_CONTENT = /\b(id|ids|identifiant|numero|num|no|nb|nombre|count|total|url|lien|link)\b/;

export type ColumnPlan = Partial<Record<Role, number[]>>;

/** Guess a column for every role from header names: exact synonyms first, then the longest synonym found inside a header. */
export function detectColumns(headers: string[]): ColumnPlan {
  const norm = headers.map(normalizeKey);
  const plan: ColumnPlan = {};
  const used = new Set<number>();
  const candidates: { role: Role; col: number; score: number }[] = [];
  norm.forEach((h, col) => {
    if (!h) return;
    for (const role of ROLES) {
      for (const syn of SYNONYMS[role]) {
        if (h === syn) candidates.push({ role, col, score: 1000 + syn.length });
        else if (containsWords(h, syn)) {
          if ((role === 'text' || role === 'title' || role === 'theme') && NOT_CONTENT.test(h)) continue;
          candidates.push({ role, col, score: syn.split(' ').length * 10 + syn.length - h.length / 100 });
        }
      }
    }
  });
  candidates.sort((a, b) => b.score - a.score || a.col - b.col);
  for (const c of candidates) {
    if (plan[c.role] || used.has(c.col)) continue;
    plan[c.role] = [c.col];
    used.add(c.col);
  }
  return plan;
}

const ROLE_ALIASES: Record<string, Role> = {
  text: 'text', texte: 'text', contribution: 'text', body: 'text',
  title: 'title', titre: 'title',
  theme: 'theme', thematique: 'theme', category: 'theme', categorie: 'theme',
  date: 'date',
  college: 'college', profil: 'college',
  territory: 'territory', territoire: 'territory', cp: 'territory', 'code postal': 'territory',
  author: 'author', auteur: 'author', pseudonym: 'author', pseudonyme: 'author', pseudo: 'author',
  kind: 'kind', type: 'kind', nature: 'kind',
  channel: 'channel', canal: 'channel',
};

/** The role a --map key names (« text », « texte », « thème »…), if any. */
export function roleOfMapKey(key: string): Role | undefined {
  return ROLE_ALIASES[normalizeKey(key)];
}

/** Resolve a user mapping (role → header name, as given to --map) against the headers. */
export function applyMap(plan: ColumnPlan, headers: string[], map: Record<string, string>, fileName: string): ColumnPlan {
  const out: ColumnPlan = { ...plan };
  const norm = headers.map(normalizeKey);
  for (const [key, header] of Object.entries(map)) {
    const role = ROLE_ALIASES[normalizeKey(key)];
    if (!role) {
      throw new ImportError(
        `Option --map : rôle « ${key} » inconnu (rôles possibles : ${ROLES.join(', ')}).`,
        'import.map_unknown_role',
      );
    }
    const wanted = normalizeKey(header);
    let col = headers.indexOf(header);
    if (col < 0) col = norm.indexOf(wanted);
    if (col < 0 || !wanted) {
      throw new ImportError(
        `Option --map : la colonne « ${header} » (pour ${key}) n’existe pas dans « ${fileName} » (colonnes : ${listHeaders(headers)}).`,
        'import.map_missing_column',
      );
    }
    // a column mapped explicitly is taken away from any role that had guessed it
    for (const r of ROLES) {
      const cols = out[r];
      if (cols && r !== role && cols.includes(col)) {
        const rest = cols.filter((c) => c !== col);
        if (rest.length) out[r] = rest;
        else delete out[r];
      }
    }
    out[role] = [col];
  }
  return out;
}

export function listHeaders(headers: string[], max = 12): string {
  const shown = headers.filter((h) => h.trim() !== '').slice(0, max).map((h) => `« ${h.trim()} »`);
  const more = headers.filter((h) => h.trim() !== '').length - shown.length;
  return shown.join(', ') + (more > 0 ? ` et ${plural(more, 'autre', 'autres')}` : '') || '(aucune)';
}
