import { createHash } from 'node:crypto';
import type { Channel, Contribution, Moderation, ThemeAssignment } from '../../domain/contribution.ts';
import { contributionId } from '../../domain/contribution.ts';
import type { ImportWarning, SourceRef } from '../../domain/source.ts';
import type { Theme } from '../../domain/theme.ts';
import { ImportError, MAX_IMPORT_BYTES, type ParsedDocument } from '../types.ts';
import { applyMap, detectColumns, listHeaders, ROLE_LABELS, ROLES, roleOfMapKey, type ColumnPlan, type Role } from './columns.ts';
import { isClosedValue, isOpenText, looksLikeQuestion, notText, profileColumn, profileValues } from './profile.ts';
import { cleanText, normalizeKey, stripHtml } from './normalize.ts';
import { readTable, type TableRow } from './read.ts';
import { themeColumn } from './themes.ts';
import { matchChannel, matchCollege, matchKind, parseDate, parseTerritory } from './values.ts';
import { plural } from '../../text/french.ts';

export { readTable, cellToString, excelDateToIso, MEDIA_CSV, MEDIA_XLSX } from './read.ts';
export type { Table, TableRow } from './read.ts';
export { detectColumns, applyMap, ROLES, SYNONYMS } from './columns.ts';
export type { Role, ColumnPlan } from './columns.ts';
export { matchTheme, matchThemes, matchCollege, matchKind, matchChannel, parseDate, parseTerritory } from './values.ts';
export { stripHtml, cleanText, normalizeKey } from './normalize.ts';
export { parseThemeMapOption, themeColumn } from './themes.ts';

/** 2: themes of another numbering left unassigned, lists split on « ; » « | » only, real tags only stripped, questionnaires. */
export const TABULAR_PARSER_VERSION = '2';

/**
 * The reading of a table depends on its options too: a re-import with another --map or --themes is a new
 * reading (replaced, moderation kept), not « already imported ».
 */
function readingVersion(opts: TabularOptions): string {
  const options: Record<string, unknown> = {};
  if (opts.map && Object.keys(opts.map).length) options.map = opts.map;
  if (opts.themeMap && Object.keys(opts.themeMap).length) options.themes = opts.themeMap;
  if (Object.keys(options).length === 0) return TABULAR_PARSER_VERSION;
  return `${TABULAR_PARSER_VERSION}+${createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 12)}`;
}

export type TabularFlavour = 'tabular' | 'tabular-decidim' | 'tabular-polis';

export interface TabularOptions {
  /** slug of the consultation the contributions belong to */
  consultation: string;
  /** the consultation's themes: theme cells are matched against them */
  themes: Theme[];
  /** role → header name, e.g. { text: 'Ma colonne', theme: 'Thème' } (CLI: --map text=Ma colonne,theme=Thème) */
  map?: Record<string, string>;
  /** XLSX: sheet to read (default: the first one) */
  sheet?: string;
  /** theme value as written → theme code or label of the consultation (CLI: --themes "2=1,3=4"); empty target: no theme */
  themeMap?: Record<string, string>;
}

/** Known export formats, recognised by their headers (lower-cased, trimmed). */
export function detectFlavour(headers: string[]): TabularFlavour {
  const h = new Set(headers.map((x) => x.trim().toLowerCase()));
  if (h.has('comment-body') && h.has('comment-id') && (h.has('moderated') || h.has('author-id'))) return 'tabular-polis';
  const hasBody = [...h].some((x) => /^body(\/[a-z]{2}(-[a-z]+)?)?$/.test(x));
  const decidimMarkers = ['published_at', 'state', 'reference', 'supports', 'votes', 'endorsements/total_count',
    'likes/total_count', 'category/id', 'scope/id', 'participatory_space/id', 'participatory_space/url', 'component/id',
    'is_amend', 'answer/fr', 'answered_at', 'follows_count', 'followers'];
  if (h.has('id') && hasBody && decidimMarkers.filter((m) => h.has(m)).length >= 2) return 'tabular-decidim';
  return 'tabular';
}

/** Columns of a translated Decidim field ("body", "body/fr", "body/en"…): French first, then the others. */
function translatedColumns(headers: string[], field: RegExp): number[] {
  const cols: { col: number; rank: number }[] = [];
  headers.forEach((raw, col) => {
    const h = raw.trim().toLowerCase();
    const m = field.exec(h);
    if (!m) return;
    const lang = m[1] ?? '';
    const rank = lang === 'fr' ? 0 : lang === '' ? 1 : lang.startsWith('machine_translations') ? 3 : 2;
    cols.push({ col, rank });
  });
  return cols.sort((a, b) => a.rank - b.rank || a.col - b.col).map((c) => c.col);
}

function flavourPlan(flavour: TabularFlavour, headers: string[]): ColumnPlan {
  const idx = (name: string) => headers.findIndex((x) => x.trim().toLowerCase() === name);
  const one = (name: string) => { const i = idx(name); return i >= 0 ? [i] : undefined; };
  const plan: ColumnPlan = {};
  const set = (role: Role, cols: number[] | undefined) => { if (cols && cols.length) plan[role] = cols; };
  if (flavour === 'tabular-polis') {
    set('text', one('comment-body'));
    set('author', one('author-id'));
    set('date', one('timestamp') ?? one('datetime'));
  } else if (flavour === 'tabular-decidim') {
    const lang = '(?:\\/((?:machine_translations\\/)?[a-z]{2}(?:-[a-z]+)?))?';
    set('text', translatedColumns(headers, new RegExp(`^body${lang}$`)));
    set('title', translatedColumns(headers, new RegExp(`^title${lang}$`)));
    set('theme', translatedColumns(headers, new RegExp(`^(?:category|taxonomies)\\/name${lang}$`)));
    set('territory', translatedColumns(headers, new RegExp(`^scope\\/name${lang}$`)));
    set('date', one('published_at') ?? one('created_at'));
    set('author', one('author/id'));
  } else {
    return detectColumns(headers);
  }
  return plan;
}

interface Tally { count: number; rows: number[] }

function tally(map: Map<string, Tally>, value: string, row: number): void {
  const t = map.get(value) ?? { count: 0, rows: [] };
  t.count++;
  if (t.rows.length < 5) t.rows.push(row);
  map.set(value, t);
}

function rowList(rows: number[], total: number): string {
  return rows.join(', ') + (total > rows.length ? '…' : '');
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Imports contributions from a CSV (`,` `;` tab, UTF-8 or Windows-1252) or XLSX table: one row, one
 * contribution. Recognises Decidim proposal exports and Polis comments.csv. Never touches a database.
 */
export async function parseTabular(bytes: Uint8Array, fileName: string, opts: TabularOptions): Promise<ParsedDocument> {
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new ImportError(
      `Le fichier « ${fileName} » est trop volumineux (${Math.round(bytes.length / 1024 / 1024)} Mo, maximum ${Math.round(MAX_IMPORT_BYTES / 1024 / 1024)} Mo).`,
      'import.too_large',
    );
  }
  let table;
  try {
    table = await readTable(bytes, fileName, opts.sheet);
  } catch (e) {
    if (e instanceof ImportError) throw e;
    throw new ImportError(`Lecture de « ${fileName} » impossible : ${(e as Error).message?.split('\n')[0] ?? 'erreur inconnue'}`, 'import.unreadable');
  }
  const documentId = sha256(bytes);
  const warnings: ImportWarning[] = [...table.warnings];
  const baseSource: Pick<SourceRef, 'documentId' | 'file' | 'sheet'> = { documentId, file: fileName };
  if (table.format === 'xlsx' && table.sheet !== undefined) baseSource.sheet = table.sheet;
  for (const w of warnings) w.source = { ...baseSource, ...w.source };
  if (table.format === 'csv' && opts.sheet !== undefined) {
    warnings.push({ level: 'info', code: 'tabular.sheet_ignored', message: `Option de feuille « ${opts.sheet} » ignorée : le fichier est un CSV.`, source: { ...baseSource } });
  }

  if (table.rows.length === 0) {
    throw new ImportError(`Le fichier « ${fileName} » ne contient aucune ligne${table.sheet ? ` (feuille « ${table.sheet} »)` : ''}.`, 'import.empty');
  }

  // header: the first of the first ten rows in which a text column can be found
  let headerIndex = 0;
  let plan: ColumnPlan | undefined;
  let flavour: TabularFlavour = 'tabular';
  for (let i = 0; i < Math.min(10, table.rows.length); i++) {
    const headers = table.rows[i]!.cells;
    const f = detectFlavour(headers);
    let p = flavourPlan(f, headers);
    if (opts.map && Object.keys(opts.map).length) {
      try { p = applyMap(p, headers, opts.map, fileName); } catch { continue; } // error reported below, against row 1
    }
    if (p.text) { headerIndex = i; plan = p; flavour = f; break; }
  }
  // a questionnaire's headers are questions, which may name no text column: its open columns say it
  for (let i = 0; !plan && i < Math.min(10, table.rows.length - 1); i++) {
    const headers = table.rows[i]!.cells;
    let p = flavourPlan(detectFlavour(headers), headers);
    if (opts.map && Object.keys(opts.map).length) {
      try { p = applyMap(p, headers, opts.map, fileName); } catch { continue; }
    }
    if (questionColumns(detectFlavour(headers), p, headers, table.rows.slice(i + 1), opts)) { headerIndex = i; plan = p; }
  }
  const headerRow = table.rows[headerIndex]!;
  const headers = headerRow.cells;
  if (!plan) {
    // with a user mapping, report its own error (unknown role, missing column) against the first row
    if (opts.map && Object.keys(opts.map).length) applyMap(flavourPlan(detectFlavour(headers), headers), headers, opts.map, fileName);
    throw new ImportError(
      `Aucune colonne de texte reconnue dans « ${fileName} » (colonnes vues : ${listHeaders(headers)}) ; indiquez-la avec --map text="Nom de la colonne".`,
      'import.no_text_column',
    );
  }
  const dataRows = table.rows.slice(headerIndex + 1);
  if (dataRows.length === 0) {
    throw new ImportError(`Le fichier « ${fileName} » ne contient aucune ligne de données après l’en-tête.`, 'import.no_data');
  }
  if (headerIndex > 0) {
    warnings.push({ level: 'info', code: 'tabular.header_row', message: `En-tête trouvé à la ligne ${headerRow.row} ; les lignes précédentes sont ignorées.`, source: { ...baseSource, row: headerRow.row } });
  }
  const get = (row: TableRow, role: Role): string => {
    for (const c of plan[role] ?? []) {
      const v = row.cells[c];
      if (v !== undefined && v.trim() !== '') return v;
    }
    return '';
  };
  const questions = questionColumns(flavour, plan, headers, dataRows, opts);
  if (questions) {
    delete plan.text;
    delete plan.title;
  } else {
    checkTextColumn(plan, headers, dataRows, fileName, get);
  }
  const mapping = ROLES.filter((r) => plan[r]).map((r) => `${ROLE_LABELS[r]} ← « ${plan[r]!.map((c) => headers[c]?.trim()).join(' / ')} »`);
  if (questions) mapping.unshift(`${questions.length} question${questions.length > 1 ? 's' : ''} ouverte${questions.length > 1 ? 's' : ''} ← ${listHeaders(questions.map((c) => headers[c]!), 6)}`);
  warnings.push({ level: 'info', code: 'tabular.columns', message: `Colonnes utilisées : ${mapping.join(', ')}.`, source: { ...baseSource, row: headerRow.row } });
  if (questions) {
    const ignored = headers.filter((h, c) => h.trim() !== '' && !questions.includes(c) && !ROLES.some((r) => plan[r]?.includes(c))).length;
    warnings.push({
      level: 'info', code: 'tabular.questionnaire',
      message: `Questionnaire reconnu (${headers.filter((h) => h.trim()).length} colonnes) : une contribution par réponse ouverte, la question gardée comme rubrique ; `
        + `${ignored} colonne${ignored > 1 ? 's' : ''} de réponses fermées, numériques ou d’identification ignorée${ignored > 1 ? 's' : ''}.`,
      source: { ...baseSource, row: headerRow.row },
    });
  }
  const col = (name: string) => headers.findIndex((x) => x.trim().toLowerCase() === name);
  const communeColumn = (plan.territory ?? []).some((c) => /\b(insee|code commune)\b/.test(normalizeKey(headers[c] ?? '')));
  const polisModerated = flavour === 'tabular-polis' ? col('moderated') : -1;
  const decidimState = flavour === 'tabular-decidim' ? col('state') : -1;
  const decidimWithdrawn = flavour === 'tabular-decidim' ? col('withdrawn') : -1;
  const defaultChannel: Channel = flavour === 'tabular' ? 'import_tableur' : 'en_ligne';

  // the theme column is judged as a whole (another platform's numbering), then each row is filed
  const themes = themeColumn(plan.theme ? dataRows.map((r) => get(r, 'theme')) : [], opts.themes, opts.themeMap);
  let foreignRows = 0;
  const unknownThemes = new Map<string, Tally>();
  const unknownColleges = new Map<string, Tally>();
  const unknownTerritories = new Map<string, Tally>();
  const badDates = new Map<string, Tally>();
  const unknownKinds = new Map<string, Tally>();
  const emptyRows: number[] = [];
  const contributions: Contribution[] = [];
  let htmlStripped = 0;

  for (const r of dataRows) {
    // the texts of the row: its text column (and title), or each open answer of a questionnaire
    const answers: { position: string; text: string; raw: string; question?: string }[] = [];
    if (questions) {
      for (const q of questions) {
        const raw = r.cells[q] ?? '';
        const text = cleanText(raw);
        // « 0 », « x », « non » in an open question say nothing by themselves
        if (!text || isClosedValue(text)) continue;
        answers.push({ position: `r${r.row}q${q + 1}`, text, raw, question: cleanText(headers[q] ?? '').replace(/\s+/g, ' ') });
      }
    } else {
      const rawBody = get(r, 'text');
      const rawTitle = plan.text?.some((c) => plan.title?.includes(c)) ? '' : get(r, 'title');
      const body = cleanText(flavour === 'tabular-decidim' ? stripHtml(rawBody) : rawBody);
      const title = cleanText(flavour === 'tabular-decidim' ? stripHtml(rawTitle) : rawTitle);
      if (body) {
        let text = body;
        if (title && !normalizeKey(body).startsWith(normalizeKey(title))) text = `${title}\n${body}`;
        const raw = title && text !== body ? `${rawTitle}\n${rawBody}` : rawBody;
        if (flavour === 'tabular-decidim' && stripHtml(rawBody) !== rawBody) htmlStripped++;
        answers.push({ position: 'r' + r.row, text, raw });
      }
    }
    if (answers.length === 0) { emptyRows.push(r.row); continue; }

    const source: SourceRef = { ...baseSource, row: r.row };
    const c: Contribution = {
      id: contributionId(documentId, answers[0]!.position),
      consultation: opts.consultation,
      channel: defaultChannel,
      text: answers[0]!.text,
      themes: [],
      moderation: { status: 'pending' },
      source,
    };

    const themeValue = get(r, 'theme').trim();
    if (themeValue) {
      const { codes, unmatched, foreign } = themes.resolve(themeValue);
      c.themes = codes.map((theme): ThemeAssignment => ({ theme, provenance: { by: 'source', documentId, detail: themeValue } }));
      for (const u of unmatched) tally(unknownThemes, u, r.row);
      if (foreign.length) foreignRows++;
      c.category = themeValue;
    }

    const collegeValue = get(r, 'college').trim();
    if (collegeValue) {
      const college = matchCollege(collegeValue);
      if (college) c.authorCollege = college; else tally(unknownColleges, collegeValue, r.row);
    }

    const author = get(r, 'author').trim();
    if (author) {
      c.authorPseudonym = flavour === 'tabular-polis' ? `polis-${author}` : flavour === 'tabular-decidim' ? `decidim-${author.replace(/\s*,\s*/g, '+')}` : author;
    }

    const territoryValue = get(r, 'territory').trim();
    if (territoryValue) {
      const t = parseTerritory(territoryValue, communeColumn);
      if (t) c.territory = t; else tally(unknownTerritories, territoryValue, r.row);
    }

    const dateValue = get(r, 'date').trim();
    if (dateValue) {
      let d: string | undefined;
      if (flavour === 'tabular-polis' && /^\d{10,13}$/.test(dateValue)) {
        const n = Number(dateValue);
        d = new Date(dateValue.length === 13 ? n : n * 1000).toISOString().slice(0, 19) + 'Z';
      } else {
        d = parseDate(dateValue);
        if (!d && flavour === 'tabular-polis') {
          const t = Date.parse(dateValue.replace(/\s*\(.*\)$/, ''));
          if (!Number.isNaN(t)) d = new Date(t).toISOString().slice(0, 19) + 'Z';
        }
      }
      if (d) c.date = d; else tally(badDates, dateValue, r.row);
    }

    const kindValue = get(r, 'kind').trim();
    if (kindValue) {
      const kind = matchKind(kindValue);
      if (kind) { c.kind = kind; c.kindProvenance = { by: 'source', documentId, detail: kindValue }; } else tally(unknownKinds, kindValue, r.row);
    }

    const channelValue = get(r, 'channel').trim();
    if (channelValue) c.channel = matchChannel(channelValue) ?? defaultChannel;

    const moderation = moderationOf(r, polisModerated, decidimState, decidimWithdrawn);
    if (moderation) c.moderation = moderation;

    // one contribution per text of the row, sharing what the row says about its author, date, place and theme
    for (const a of answers) {
      const one: Contribution = { ...c, id: contributionId(documentId, a.position), text: a.text, source: { ...source },
        themes: c.themes.map((t) => ({ ...t })), moderation: { ...c.moderation } };
      if (a.raw.trim() !== a.text) one.rawText = a.raw;
      if (a.question) one.category = a.question;
      contributions.push(one);
    }
  }

  const report = (map: Map<string, Tally>, code: string, what: string, hint: string) => {
    for (const [value, t] of map) {
      warnings.push({
        level: 'warning', code,
        message: `${what} « ${value} » non reconnu${t.count > 1 ? ` (${t.count} lignes : ${rowList(t.rows, t.count)})` : ` (ligne ${t.rows[0]})`} ; ${hint}`,
        source: { ...baseSource, row: t.rows[0]! },
      });
    }
  };
  if (themes.foreign.size) {
    const header = plan.theme!.map((c) => headers[c]?.trim()).join(' / ');
    const values = [...themes.foreign].sort((a, b) => a[0].localeCompare(b[0], 'fr', { numeric: true }))
      .map(([v, n]) => `« ${v} » (${n} ligne${n > 1 ? 's' : ''})`).join(', ');
    const example = [...themes.foreign.keys()].slice(0, 2).map((v) => `${v}=<code>`).join(',');
    warnings.push({
      level: 'warning', code: 'tabular.theme_scheme',
      message: `La colonne de thème « ${header} » suit une autre numérotation que la consultation : ${values} ; `
        + `${foreignRows} ligne${foreignRows > 1 ? 's' : ''} laissée${foreignRows > 1 ? 's' : ''} sans thème (codes de la consultation : ${opts.themes.map((t) => t.code).join(', ')}). `
        + `Pour les rattacher, indiquez la correspondance (en ligne de commande : --themes "${example}").`,
      source: { ...baseSource },
    });
  }
  for (const [value, g] of themes.guessed) {
    const theme = opts.themes.find((t) => t.code === g.code);
    warnings.push({
      level: 'info', code: 'tabular.theme_guessed',
      message: `Thème « ${value} » rattaché par rapprochement (début du libellé ou mots-clés) au thème ${g.code} « ${theme?.label ?? g.code} » `
        + `(${g.count} ligne${g.count > 1 ? 's' : ''}) ; pour en décider autrement : --themes "${value.replace(/["=]/g, ' ').trim()}=<code>".`,
      source: { ...baseSource },
    });
  }
  for (const k of themes.unusedMappings) {
    warnings.push({ level: 'warning', code: 'tabular.themes_unused', message: `Correspondance de thème « ${k} » inutilisée : aucune ligne ne porte cette valeur.`, source: { ...baseSource } });
  }
  report(unknownThemes, 'tabular.theme_unknown', 'Thème', 'aucun thème attribué.');
  report(unknownColleges, 'tabular.college_unknown', 'Collège', 'collège laissé vide.');
  report(unknownTerritories, 'tabular.territory_unknown', 'Territoire', 'territoire laissé vide.');
  report(badDates, 'tabular.date_invalid', 'Format de date', 'date laissée vide.');
  report(unknownKinds, 'tabular.kind_unknown', 'Type de contribution', 'type laissé vide.');
  if (emptyRows.length) {
    warnings.push({
      level: 'warning', code: 'tabular.empty_text',
      message: `${plural(emptyRows.length, 'ligne sans texte ignorée', 'lignes sans texte ignorées')} : ${emptyRows.slice(0, 20).join(', ')}${emptyRows.length > 20 ? '…' : ''}.`,
      source: { ...baseSource, row: emptyRows[0]! },
    });
  }
  if (htmlStripped) {
    warnings.push({ level: 'info', code: 'tabular.html_stripped', message: `Balises HTML retirées de ${plural(htmlStripped, 'texte', 'textes')} (texte d’origine conservé).`, source: { ...baseSource } });
  }
  if (flavour !== 'tabular') {
    warnings.push({ level: 'info', code: 'tabular.flavour', message: `Format reconnu : export ${flavour === 'tabular-polis' ? 'Polis (comments.csv)' : 'Decidim (propositions)'}.`, source: { ...baseSource } });
  }

  return {
    documentId,
    fileName,
    mediaType: table.mediaType,
    sizeBytes: bytes.length,
    parser: flavour,
    parserVersion: readingVersion(opts),
    themes: [],
    meetings: [],
    contributions,
    syntheses: [],
    warnings,
  };
}

function moderationOf(r: TableRow, polisModerated: number, decidimState: number, decidimWithdrawn: number): Moderation | undefined {
  if (polisModerated >= 0) {
    const m = (r.cells[polisModerated] ?? '').trim();
    if (m === '-1') return { status: 'rejected', reason: 'Commentaire rejeté par la modération Polis (moderated = -1).', by: 'polis' };
    if (m === '1') return { status: 'published', reason: 'Commentaire accepté par la modération Polis (moderated = 1).', by: 'polis' };
    return undefined;
  }
  const state = decidimState >= 0 ? (r.cells[decidimState] ?? '').trim().toLowerCase() : '';
  const withdrawn = decidimWithdrawn >= 0 ? (r.cells[decidimWithdrawn] ?? '').trim().toLowerCase() : '';
  if (state === 'withdrawn' || withdrawn === 'true') {
    return { status: 'rejected', reason: 'Proposition retirée par son auteur sur Decidim.', by: 'decidim' };
  }
  return undefined;
}

/** A table at least this wide, with open questions, is a questionnaire export (one column per question). */
const WIDE_COLUMNS = 10;

/**
 * The open questions of a questionnaire export, or undefined for an ordinary table (one row, one contribution).
 * Only a generic wide table whose text column is not forced by --map: either its "text" column holds no text
 * (numbers, yes/no) while other columns do, or at least two open columns are headed by questions.
 */
function questionColumns(flavour: TabularFlavour, plan: ColumnPlan, headers: string[], rows: TableRow[], opts: TabularOptions): number[] | undefined {
  if (flavour !== 'tabular') return undefined;
  if (opts.map && Object.keys(opts.map).some((k) => roleOfMapKey(k) === 'text')) return undefined;
  if (headers.filter((h) => h.trim() !== '').length < WIDE_COLUMNS) return undefined;
  // a question that happens to hold « sujet », « type » or « profil » is still a question when its answers are open
  const taken = new Set(ROLES.filter((r) => r !== 'text').flatMap((r) => plan[r] ?? []));
  const open = headers.flatMap((h, c) => (h.trim() !== '' && (!taken.has(c) || looksLikeQuestion(h)) && isOpenText(profileColumn(rows, c), h) ? [c] : []));
  if (open.length === 0) return undefined;
  const textIsOpen = (plan.text ?? []).some((c) => open.includes(c));
  if (textIsOpen && !(open.length >= 2 && open.filter((c) => looksLikeQuestion(headers[c]!)).length >= 2)) return undefined;
  for (const r of ROLES) {
    const rest = plan[r]?.filter((c) => !open.includes(c));
    if (rest && rest.length) plan[r] = rest; else delete plan[r];
  }
  return open;
}

/** Refuses a text column that holds numbers, yes/no or almost nothing: it would make contributions of « 1.0 ». */
function checkTextColumn(plan: ColumnPlan, headers: string[], rows: TableRow[], fileName: string, get: (r: TableRow, role: Role) => string): void {
  const profile = profileValues(rows.map((r) => get(r, 'text')));
  const verdict = notText(profile, rows.length);
  if (!verdict) return;
  const name = (plan.text ?? []).map((c) => `« ${headers[c]?.trim()} »`).join(' / ');
  const taken = new Set(ROLES.flatMap((r) => plan[r] ?? []));
  const candidates = headers.flatMap((h, c) => (h.trim() !== '' && !taken.has(c) && isOpenText(profileColumn(rows, c), h) ? [h] : []));
  const hint = candidates.length
    ? `Colonnes qui semblent contenir des textes : ${listHeaders(candidates, 6)} ; indiquez la bonne avec --map text="Nom de la colonne".`
    : 'Indiquez la colonne des textes avec --map text="Nom de la colonne".';
  if (verdict === 'closed') {
    throw new ImportError(
      `La colonne de texte ${name} de « ${fileName} » contient des nombres ou des réponses fermées, pas des contributions `
      + `(${profile.closed} valeurs sur ${profile.filled}, par exemple ${profile.examples.map((e) => `« ${e} »`).join(', ')}). Rien n’a été importé. ${hint}`,
      'import.text_not_text',
    );
  }
  throw new ImportError(
    `La colonne de texte ${name} de « ${fileName} » est ${profile.filled === 0 ? 'vide' : 'presque vide'} `
    + `(${profile.filled} cellule${profile.filled > 1 ? 's' : ''} remplie${profile.filled > 1 ? 's' : ''} sur ${rows.length} lignes). Rien n’a été importé. ${hint}`,
    'import.text_empty',
  );
}
