import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { participantsSum } from '../src/domain/meeting.ts';
import { loadConsultationFile, parseConsultationFile } from '../src/ingest/consultation-file.ts';
import { ImportError } from '../src/ingest/types.ts';

const base = () => ({
  consultation: { slug: 'essai', title: 'Essai', territory: '46', themes: 'cnr-sante' as unknown },
  meetings: [{
    id: 'a1', kind: 'atelier', title: 'Atelier 1', date: '2022-11-21',
    participants: { elus: 3, institutionnels: null, professionnels: 4, associations: 0, usagers: 2, autres: null, total: 10 },
  }],
});

function invalid(data: unknown, re: RegExp): void {
  assert.throws(() => parseConsultationFile(data, 'c.json'), (e: unknown) => {
    assert.ok(e instanceof ImportError);
    assert.match(e.message, re);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
}

test('the demo consultation loads: CNR themes plus the local one, meetings with NC and a total that differs', async () => {
  const { consultation, meetings } = await loadConsultationFile('demo/consultation.json');
  assert.equal(consultation.slug, 'demo');
  assert.equal(consultation.territory, '12');
  assert.deepEqual(consultation.themes.map((t) => t.code), ['1', '2', '3', '4', 'sante-mentale-jeunes']);
  assert.equal(consultation.themes[4]!.local, true);
  assert.equal(consultation.themes[0]!.local, false);
  assert.ok(meetings.length >= 5 && meetings.length <= 6);
  assert.ok(meetings.every((m) => m.consultation === 'demo'));
  assert.ok(meetings.some((m) => Object.values(m.participants).some((v) => v === null) && m.participants.total !== null));
  assert.ok(meetings.some((m) => m.participants.total !== null && participantsSum(m.participants) !== m.participants.total));
});

test('themes given in full, defaults, optional fields', () => {
  const d = base();
  d.consultation.themes = [{ code: '1', label: 'Accès aux soins', keywords: ['médecin'] }];
  const { consultation, meetings } = parseConsultationFile(d);
  assert.equal(consultation.status, 'draft');
  assert.deepEqual(consultation.themes, [{ code: '1', label: 'Accès aux soins', keywords: ['médecin'], local: false }]);
  assert.equal(meetings[0]!.participants.institutionnels, null);
  assert.equal(meetings[0]!.place, undefined);
  assert.ok(!('place' in meetings[0]!));
});

test('validation errors name the JSON path', () => {
  const a = base(); (a.meetings[0]!.participants as Record<string, unknown>).elus = 'NC';
  invalid(a, /meetings\[0\]\.participants\.elus/);
  const b = base(); (b.consultation as Record<string, unknown>).slug = 'Pas Un Slug';
  invalid(b, /consultation\.slug/);
  const c = base(); (c.meetings[0] as Record<string, unknown>).kind = 'banquet';
  invalid(c, /meetings\[0\]\.kind/);
  const d = base(); (d.meetings[0] as Record<string, unknown>).date = '21/11/2022';
  invalid(d, /meetings\[0\]\.date — date AAAA-MM-JJ/);
  const e = base(); (e.meetings[0] as Record<string, unknown>).lieu = 'Cahors';
  invalid(e, /meetings\[0\] — Clé non reconnue : "lieu"/);
  const f = base(); f.meetings.push({ ...f.meetings[0]! });
  invalid(f, /meetings\[1\]\.id — identifiant « a1 » en double/);
  const g = base(); (g.consultation as Record<string, unknown>).localThemes = [{ code: '2', label: 'Doublon' }];
  invalid(g, /consultation\.localThemes\[0\]\.code/);
  const h = base(); Object.assign(h.consultation, { periodStart: '2022-12-01', periodEnd: '2022-10-01' });
  invalid(h, /consultation\.periodEnd/);
  invalid({}, /consultation/);
});

test('file errors: missing file, bad JSON', async () => {
  await assert.rejects(loadConsultationFile('/nonexistent/c.json'), (e: unknown) => e instanceof ImportError && /introuvable/.test(e.message));
  const dir = await mkdtemp(join(tmpdir(), 'fabrique-'));
  try {
    await writeFile(join(dir, 'c.json'), '{ "consultation": ');
    await assert.rejects(loadConsultationFile(join(dir, 'c.json')), (e: unknown) => e instanceof ImportError && /JSON invalide/.test(e.message));
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('indicators of the territory: optional, the demo’s are fictional with one missing value, errors name the path', async () => {
  assert.equal(parseConsultationFile(base()).indicators, undefined, 'absents : rien à remplacer');
  const { indicators } = await loadConsultationFile('demo/consultation.json');
  assert.ok(indicators && indicators.length >= 6);
  assert.ok(indicators.every((i) => i.territory === '12' && i.source === 'Valeurs fictives de démonstration' && i.year));
  assert.equal(indicators.filter((i) => i.value === null).length, 1, 'une valeur manquante, laissée nulle');
  assert.ok(indicators.every((i) => typeof i.regionValue === 'number' && typeof i.franceValue === 'number'));

  const ok = { ...base(), indicators: [{ id: 'apl', label: 'APL', year: 2022, value: null, source: 'DREES' }] };
  assert.deepEqual(parseConsultationFile(ok).indicators, [{ id: 'apl', label: 'APL', territory: '46', value: null, year: 2022, source: 'DREES' }]);
  const item = (x: Record<string, unknown>) => ({ ...base(), indicators: [{ id: 'apl', label: 'APL', year: 2022, value: 3.1, source: 'DREES', ...x }] });
  invalid(item({ value: 'NC' }), /indicators\[0\]\.value/);
  invalid(item({ source: undefined }), /indicators\[0\]\.source/);
  invalid(item({ valeur: 3 }), /indicators\[0\]/);
  invalid(item({ year: 22.5 }), /indicators\[0\]\.year/);
  invalid({ ...base(), indicators: [...item({}).indicators, ...item({ value: 2 }).indicators] }, /indicators\[1\]\.id — indicateur « apl » en double/);
});
