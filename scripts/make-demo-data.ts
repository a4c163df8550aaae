/**
 * Builds the demo contributions (fictional) from the phrase pieces in demo-phrases.ts:
 *   demo/contributions-en-ligne.csv   ~300 online contributions, `;`-separated, Windows-1252
 *   demo/contributions-en-ligne.xlsx  ~150 paper forms, letters and e-mails
 * Deterministic: a seeded PRNG, fixed workbook dates and zip timestamps, so the files (and the
 * document ids derived from their bytes) do not change from one run to the next.
 *
 *   npx tsx scripts/make-demo-data.ts [output-dir]
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { CAMPAIGN, CLOSERS, COMMUNES, FRAMES, HOPITAUX, OPENERS, PHRASES, type DemoTheme } from './demo-phrases.ts';

type Profile = 'usagers' | 'elus' | 'professionnels' | 'associations' | 'autres';

export interface DemoRow {
  date: Date;
  /** a date typed by hand instead of a date cell (XLSX only) */
  dateText?: string;
  pseudonym: string;
  postcode: string;
  profile: string;
  theme: string;
  text: string;
  channel: string;
}

import { mulberry32 as prng } from '../src/analysis/random.ts';

export { prng };

class Gen {
  constructor(readonly rnd: () => number) {}
  pick<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.rnd() * xs.length)];
    if (x === undefined) throw new Error('empty list');
    return x;
  }
  chance(p: number): boolean { return this.rnd() < p; }
  int(min: number, max: number): number { return min + Math.floor(this.rnd() * (max - min + 1)); }
  weighted<T extends { weight: number }>(xs: readonly T[]): T {
    const total = xs.reduce((s, x) => s + x.weight, 0);
    let r = this.rnd() * total;
    for (const x of xs) { r -= x.weight; if (r < 0) return x; }
    return xs[xs.length - 1]!;
  }
  /** distinct picks */
  some<T>(xs: readonly T[], n: number): T[] {
    const pool = [...xs];
    const out: T[] = [];
    while (out.length < n && pool.length) out.push(pool.splice(Math.floor(this.rnd() * pool.length), 1)[0]!);
    return out;
  }
}

const THEME_WEIGHTS: { theme: DemoTheme; weight: number }[] = [
  { theme: '1', weight: 34 }, { theme: '2', weight: 24 }, { theme: '3', weight: 14 }, { theme: '4', weight: 14 },
  { theme: 'sante-mentale-jeunes', weight: 14 },
];

/** Theme as chosen in the online form's drop-down list. */
const FORM_THEME: Record<DemoTheme, string> = {
  '1': 'Accès à un médecin traitant', '2': 'Urgences et soins non programmés', '3': 'Attractivité des métiers de la santé',
  '4': 'Prévention', 'sante-mentale-jeunes': 'Santé mentale des jeunes',
};
/** Theme as written by the agents who typed the paper forms. */
const PAPER_THEME: Record<DemoTheme, string[]> = {
  '1': ['Thème 1 - Médecin traitant', 'Thème 1', 'médecin traitant'],
  '2': ['Thème 2 - Urgences / soins non programmés', 'Thème 2', 'urgences'],
  '3': ['Thème 3 - Attractivité', 'Thème 3', 'attractivité'],
  '4': ['Thème 4 - Prévention', 'Thème 4', 'prévention'],
  'sante-mentale-jeunes': ['Santé mentale des jeunes', 'santé mentale jeunes'],
};

const PROFILE_WEIGHTS: { profile: Profile; weight: number }[] = [
  { profile: 'usagers', weight: 62 }, { profile: 'professionnels', weight: 18 }, { profile: 'elus', weight: 8 },
  { profile: 'associations', weight: 7 }, { profile: 'autres', weight: 5 },
];
const PROFILE_LABELS: Record<Profile, string[]> = {
  usagers: ['Usager', 'Citoyen', 'Citoyenne', 'Habitant(e)', 'Usager du système de santé', 'Aidant familial', 'Retraité', 'Parent', 'Étudiant'],
  professionnels: ['Professionnel de santé', 'Professionnel de santé', 'Professionnel du médico-social', 'Pro de santé'],
  elus: ['Élu(e)', 'Élu(e)', 'Elu local'],
  associations: ['Association', 'Représentant d’association'],
  autres: ['Autre', 'Agriculteur', 'Commerçant'],
};
const PSEUDO_PREFIX: Record<Profile, string[]> = {
  usagers: ['Citoyen', 'Citoyenne', 'Habitant', 'Aveyronnais', 'Usager', 'Anonyme', 'Rouergat', 'Maman', 'Papi'],
  professionnels: ['Soignant', 'Soignante', 'ProSante', 'Liberal'],
  elus: ['Elu', 'Elue', 'Mairie'],
  associations: ['Asso', 'Benevole'],
  autres: ['Anonyme', 'Visiteur'],
};

/** Lead-ins after which the sentence goes on in lower case. */
const LEAD_INS = new Set(['Habitant de {ville} depuis vingt ans,', 'Je voulais dire que', 'Voilà mon avis :', 'Pour ma part,',
  'Retraitée, je trouve que', 'À mon sens,', 'Franchement,', 'En quelques mots :']);
const FRAME_LINKS = ['je constate que', 'je pense que', 'il me semble que', 'je peux témoigner que', 'je vois bien que'];

const lowerFirst = (s: string) => (/^[A-ZÀ-Ý][a-zà-ÿ’' ]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

function stripAccents(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
}

/** The small mistakes of people typing in a hurry. */
function roughen(g: Gen, text: string): string {
  let t = text;
  const n = g.int(1, 2);
  for (let i = 0; i < n; i++) {
    switch (g.int(0, 6)) {
      case 0: t = stripAccents(t); break;
      case 1: t = lowerFirst(t); break;
      case 2: t = t.replace(/[.!]$/, ''); break;
      case 3: t = t.replace(/ à /, ' a ').replace(/’/g, "'"); break;
      case 4: {
        const words = t.split(' ');
        const idx = words.findIndex((w, j) => j > 2 && /^[a-zé]{6,}$/.test(w) && g.chance(0.4));
        if (idx > 0) { const w = words[idx]!; const k = g.int(1, w.length - 3); words[idx] = w.slice(0, k) + w[k + 1] + w[k] + w.slice(k + 2); }
        t = words.join(' ');
        break;
      }
      case 5: t = t.replace(/\. /, '.. ').replace(/ !/g, '!'); break;
      default: t = t.replace(/,/, ''); break;
    }
  }
  return t;
}

function fill(s: string, commune: { cp: string; ville: string }): string {
  return s.replaceAll('{ville}', commune.ville).replaceAll('{hopital}', HOPITAUX[commune.cp] ?? HOPITAUX.default!);
}

function compose(g: Gen, theme: DemoTheme, profile: Profile, commune: { cp: string; ville: string }): string {
  const p = PHRASES[theme];
  const parts: string[] = [];
  const style = g.weighted([
    { s: 'court', weight: 12 }, { s: 'constat', weight: 14 }, { s: 'proposition', weight: 16 }, { s: 'mixte', weight: 28 },
    { s: 'temoignage', weight: 18 }, { s: 'long', weight: 12 },
  ]).s;
  if (style === 'court') return fill(g.pick(p.courts), commune);

  const frames = profile === 'elus' || profile === 'professionnels' || profile === 'associations' ? FRAMES[profile] : undefined;
  let lead: string | undefined;
  let framed = false;
  if (frames && g.chance(0.7)) {
    const f = g.pick(frames);
    lead = /que$/.test(f) ? f : `${f} ${g.pick(FRAME_LINKS)}`;
    framed = true;
  } else if (g.chance(0.35)) {
    const o = g.pick(OPENERS);
    if (LEAD_INS.has(o)) lead = o; else parts.push(o);
  }
  const sentences: string[] = [];
  if (style === 'constat') sentences.push(g.pick(p.constats));
  if (style === 'proposition') sentences.push(...g.some(p.propositions, g.int(1, 2)));
  if (style === 'mixte') sentences.push(g.pick(p.constats), ...g.some(p.propositions, g.int(1, 2)));
  if (style === 'temoignage') { sentences.push(g.pick(p.temoignages)); if (g.chance(0.6)) sentences.push(g.pick(p.propositions)); }
  let paragraphs: string[] | undefined;
  if (style === 'long') {
    const props = g.some(p.propositions, g.int(2, 3));
    if (g.chance(0.4)) {
      const other = g.pick(THEME_WEIGHTS.filter((t) => t.theme !== theme)).theme;
      props.push(`Autre chose : ${lowerFirst(g.pick(PHRASES[other].propositions))}`);
    }
    sentences.push(g.pick(p.temoignages));
    paragraphs = [g.some(p.constats, 2).join(' '),
      g.chance(0.4) ? `Mes propositions :\n${props.map((x) => `- ${x}`).join('\n')}` : props.join(' ')];
  }
  const first = sentences[0] ?? '';
  const personal = /^(Je |J’|Mon |Ma |Nous |Au |Cet été)|^[^,.:]{0,50}, (je |j’|nous |mon |ma )/.test(first);
  // a proposition starts with an infinitive: "je propose de …" after a professional's or an elected official's introduction
  const infinitive = style === 'proposition';
  if (lead && framed && infinitive) lead = lead.replace(/ (je constate|je pense|il me semble|je peux témoigner|je vois bien) que$/, ' je propose de').replace(/ que$/, ' qu’il faudrait');
  // a testimony already says who is speaking: no second introduction
  if (lead && first && !(personal && (framed || /que$/.test(lead))) && !(infinitive && /que$/.test(lead))) {
    sentences[0] = `${lead} ${lowerFirst(first)}`.replace(/\b(qu|d)e ([aeiouyéèêàâîô])/gi, '$1’$2');
  }
  if (paragraphs) parts.push([sentences.join(' '), ...paragraphs].join(g.pick(['\n\n', '\n', ' '])));
  else parts.push(sentences.join(' '));
  if (g.chance(style === 'long' ? 0.6 : 0.25)) parts.push(g.pick(CLOSERS));
  const greeting = parts[0] === 'Bonjour,' || parts[0] === 'Bonjour à tous,';
  let text = greeting && g.chance(0.5) ? `${parts[0]}\n${parts.slice(1).join(' ')}` : parts.join(' ');
  text = fill(text, commune);
  if (g.chance(0.18)) text = roughen(g, text);
  if (g.chance(0.04)) text = text.toUpperCase();
  return text;
}

function pseudonym(g: Gen, profile: Profile, used: Set<string>): string {
  for (;;) {
    const p = `${g.pick(PSEUDO_PREFIX[profile])}_${g.int(1000, 9999)}`;
    if (!used.has(p)) { used.add(p); return p; }
  }
}

const DAY = 86400000;
const START = Date.UTC(2022, 9, 3); // 3 October 2022
const END = Date.UTC(2022, 10, 27); // 27 November 2022

function randomDate(g: Gen, from = START, to = END, office = false): Date {
  const day = from + g.int(0, Math.round((to - from) / DAY)) * DAY;
  if (office) return new Date(day);
  // more contributions in the evening
  const hour = g.chance(0.6) ? g.int(17, 23) : g.int(7, 16);
  return new Date(day + hour * 3600000 + g.int(0, 59) * 60000);
}

function nearDuplicate(g: Gen, text: string): string {
  switch (g.int(0, 3)) {
    case 0: return text.replace(/[.!]$/, '') + ' !';
    case 1: return text.toLowerCase();
    case 2: return `Je suis d’accord : ${lowerFirst(text)}`;
    default: return text.replace(/\s+/g, ' ').replace(/,/g, '');
  }
}

export function onlineRows(seed = 20221003): DemoRow[] {
  const g = new Gen(prng(seed));
  const used = new Set<string>();
  const rows: DemoRow[] = [];
  for (let i = 0; i < 276; i++) {
    const theme = g.weighted(THEME_WEIGHTS).theme;
    const profile = g.weighted(PROFILE_WEIGHTS).profile;
    const commune = g.chance(0.06) ? { cp: '', ville: 'Rodez' } : g.weighted(COMMUNES);
    let shownTheme: string = FORM_THEME[theme];
    if (g.chance(0.06)) shownTheme = '';
    else if (g.chance(0.05)) shownTheme = FORM_THEME[g.weighted(THEME_WEIGHTS).theme];
    let postcode = commune.cp;
    if (commune.cp === '') postcode = g.pick(['', '', 'Rodez', '12']);
    rows.push({
      date: randomDate(g),
      pseudonym: g.chance(0.08) ? '' : pseudonym(g, profile, used),
      postcode,
      profile: g.chance(0.07) ? '' : g.pick(PROFILE_LABELS[profile]),
      theme: shownTheme,
      text: compose(g, theme, profile, commune),
      channel: 'Formulaire en ligne',
    });
  }
  // exact duplicates (same person submitting twice, or a neighbour copying) and near duplicates
  for (const src of g.some(rows.filter((r) => r.text.length > 60), 5)) {
    rows.push({ ...src, date: new Date(src.date.getTime() + g.int(1, 48) * 3600000), pseudonym: g.chance(0.5) ? src.pseudonym : pseudonym(g, 'usagers', used) });
  }
  for (const src of g.some(rows.filter((r) => r.text.length > 40), 6)) {
    rows.push({ ...src, text: nearDuplicate(g, src.text), date: new Date(src.date.getTime() + g.int(2, 200) * 3600000), pseudonym: pseudonym(g, 'usagers', used) });
  }
  // a copy-paste campaign over two days, mostly from the south of the département
  const millau = COMMUNES.filter((c) => ['12100', '12400', '12520', '12360', '12370'].includes(c.cp));
  for (let i = 0; i < 11; i++) {
    const commune = g.pick(millau);
    const text = fill(g.pick(CAMPAIGN), { cp: '12100', ville: commune.ville });
    rows.push({
      date: randomDate(g, Date.UTC(2022, 10, 14), Date.UTC(2022, 10, 15)),
      pseudonym: pseudonym(g, 'usagers', used), postcode: commune.cp,
      profile: g.pick(['Citoyen', 'Usager', 'Citoyenne', '']),
      theme: g.chance(0.7) ? FORM_THEME['2'] : '',
      text: g.chance(0.2) ? `${text}\nSigné : un habitant du Sud-Aveyron` : text,
      channel: 'Formulaire en ligne',
    });
  }
  // forms sent empty
  for (let i = 0; i < 2; i++) {
    rows.push({ date: randomDate(g), pseudonym: pseudonym(g, 'usagers', used), postcode: g.weighted(COMMUNES).cp, profile: 'Usager', theme: FORM_THEME['1'], text: '', channel: 'Formulaire en ligne' });
  }
  // the online form closed on the evening of 27 November
  for (const r of rows) if (r.date.getTime() > END + DAY - 60000) r.date = new Date(END + 23 * 3600000 + 59 * 60000);
  rows.sort((a, b) => a.date.getTime() - b.date.getTime());
  return rows;
}

export function paperRows(seed = 20221104): DemoRow[] {
  const g = new Gen(prng(seed));
  const used = new Set<string>();
  const rows: DemoRow[] = [];
  for (let i = 0; i < 150; i++) {
    const theme = g.weighted(THEME_WEIGHTS).theme;
    const profile = g.weighted(PROFILE_WEIGHTS).profile;
    const commune = g.weighted(COMMUNES);
    const channel = g.weighted([{ c: 'Formulaire papier (urne en mairie)', weight: 60 }, { c: 'Courrier', weight: 15 }, { c: 'Courriel', weight: 25 }]).c;
    let theme2 = g.pick(PAPER_THEME[theme]);
    if (g.chance(0.05)) theme2 = '';
    else if (g.chance(0.03)) theme2 = 'Autre';
    const date = randomDate(g, Date.UTC(2022, 9, 10), Date.UTC(2022, 10, 30), true);
    let text = compose(g, theme, profile, commune);
    if (channel === 'Courrier' && !text.startsWith('Bonjour')) text = `Madame, Monsieur,\n${text}`;
    const row: DemoRow = {
      date,
      pseudonym: channel === 'Courriel' || g.chance(0.3) ? pseudonym(g, profile, used) : '',
      postcode: g.chance(0.1) ? commune.cp.slice(0, 2) : commune.cp,
      profile: g.chance(0.1) ? '' : g.pick(PROFILE_LABELS[profile]),
      theme: theme2,
      text,
      channel,
    };
    if (g.chance(0.08)) {
      const d = date;
      row.dateText = `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${String(d.getUTCFullYear()).slice(2)}`;
    }
    rows.push(row);
  }
  // the same letter sent by post and by e-mail
  for (const src of g.some(rows.filter((r) => r.text.length > 80), 3)) {
    rows.push({ ...src, channel: src.channel === 'Courriel' ? 'Courrier' : 'Courriel', date: new Date(src.date.getTime() + DAY) });
  }
  rows.sort((a, b) => a.date.getTime() - b.date.getTime());
  return rows;
}

function csvField(s: string): string {
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const pad = (n: number) => String(n).padStart(2, '0');
const frDateTime = (d: Date) => `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;

export function onlineCsv(rows: DemoRow[]): Buffer {
  const lines = ['Date;Pseudonyme;Code postal;Profil;Thème;Contribution;Canal'];
  for (const r of rows) {
    lines.push([frDateTime(r.date), r.pseudonym, r.postcode, r.profile, r.theme, r.text, r.channel].map(csvField).join(';'));
  }
  const text = lines.join('\r\n') + '\r\n';
  const bytes = iconv.encode(text, 'windows-1252');
  if (iconv.decode(bytes, 'windows-1252') !== text) throw new Error('un caractère ne passe pas en Windows-1252');
  return bytes;
}

const FIXED = new Date(Date.UTC(2022, 11, 1, 9, 0, 0));

export async function paperXlsx(rows: DemoRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Fabrique (démo)';
  wb.created = FIXED;
  wb.modified = FIXED;
  const ws = wb.addWorksheet('Contributions');
  ws.columns = [
    { header: 'Date de réception', key: 'date', width: 14, style: { numFmt: 'dd/mm/yyyy' } },
    { header: 'Pseudonyme', key: 'pseudo', width: 16 },
    { header: 'Commune / CP', key: 'cp', width: 12 },
    { header: 'Vous êtes', key: 'profil', width: 24 },
    { header: 'Thématique', key: 'theme', width: 30 },
    { header: 'Votre contribution', key: 'text', width: 90, style: { alignment: { wrapText: true, vertical: 'top' } } },
    { header: 'Canal', key: 'canal', width: 30 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    ws.addRow({ date: r.dateText ?? r.date, pseudo: r.pseudonym, cp: r.postcode, profil: r.profile, theme: r.theme, text: r.text, canal: r.channel });
  }
  const notes = wb.addWorksheet('Notes');
  notes.addRow(['Saisie des formulaires papier, courriers et courriels de la consultation (données fictives de démonstration).']);
  return fixZipTimes(Buffer.from(await wb.xlsx.writeBuffer()));
}

/** Sets every entry's DOS modification time in a zip to a fixed value, so that the bytes are reproducible. */
export function fixZipTimes(zip: Buffer): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('zip sans répertoire central');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const time = (9 << 11) | (0 << 5); // 09:00:00
  const date = ((2022 - 1980) << 9) | (12 << 5) | 1; // 2022-12-01
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('répertoire central inattendu');
    zip.writeUInt16LE(time, p + 12);
    zip.writeUInt16LE(date, p + 14);
    const local = zip.readUInt32LE(p + 42);
    zip.writeUInt16LE(time, local + 10);
    zip.writeUInt16LE(date, local + 12);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? fileURLToPath(new URL('../demo/', import.meta.url));
  await mkdir(out, { recursive: true });
  const online = onlineRows();
  const paper = paperRows();
  await writeFile(join(out, 'contributions-en-ligne.csv'), onlineCsv(online));
  await writeFile(join(out, 'contributions-en-ligne.xlsx'), await paperXlsx(paper));
  console.log(`${online.length} contributions en ligne (CSV), ${paper.length} contributions papier, courriers et courriels (XLSX) écrites dans ${out}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
