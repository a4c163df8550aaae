/**
 * The agenda of meetings and the map of a consultation (issue 16, point 5): clock times read from the printed
 * time, upcoming / past / undated, iCalendar files that another library reads back, the map's counts by postcode
 * with their threshold, and the postcode erased with its contribution.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import ical from 'node-ical';
import { agendaMeeting, buildAgenda, parseMeetingHours } from '../src/domain/agenda.ts';
import { communeOfPlace, publishableAreas, type Commune } from '../src/domain/communes.ts';
import { emptyParticipants, type Meeting } from '../src/domain/meeting.ts';
import { contributionArea } from '../src/store/contribution-areas.ts';
import { context } from '../src/usecases/context.ts';
import { moderateContributions, submitContribution } from '../src/usecases/contributions.ts';
import { deleteContribution } from '../src/usecases/deletion.ts';
import { communeIndex } from '../src/usecases/geography-data.ts';
import { Client, testServer } from './helpers/server.ts';
import { storeTest } from './helpers/stores.ts';

test('clock times are read from the time as printed; anything else is no time', () => {
  const hm = (t: string) => { const h = parseMeetingHours(t); return h && [h.start.hour, h.start.minute, h.end?.hour ?? null, h.end?.minute ?? null]; };
  assert.deepEqual(hm('19H-22H'), [19, 0, 22, 0]);
  assert.deepEqual(hm('18h00 à 20h30'), [18, 0, 20, 30]);
  assert.deepEqual(hm('17H00 / 20H30'), [17, 0, 20, 30]);
  assert.deepEqual(hm('14h30-17h30'), [14, 30, 17, 30]);
  assert.deepEqual(hm('de 9 h 30 à 12 h'), [9, 30, 12, 0]);
  assert.deepEqual(hm('14:00 – 16:15'), [14, 0, 16, 15]);
  assert.deepEqual(hm('20h'), [20, 0, null, null]);
  assert.deepEqual(hm('22h-19h'), [22, 0, null, null], 'an end before the start is dropped');
  for (const t of ['après-midi', '25h', '19h-22h et 9h-12h', '', '19h-24h61', 'le soir vers 19h']) assert.equal(parseMeetingHours(t), null, t);
});

const meeting = (id: string, over: Partial<Meeting>): Meeting => ({ id, consultation: 'essai', kind: 'atelier', title: `Atelier ${id}`, participants: emptyParticipants(), ...over });

test('the agenda splits meetings by the day in Paris: today is still upcoming, no ISO date is undated', () => {
  const c = { slug: 'essai', title: 'Essai' };
  const ms = [
    meeting('a', { date: '2026-12-10', time: '19H-22H' }), meeting('b', { date: '2026-12-02', time: '9h' }),
    meeting('c', { date: '2026-11-30' }), meeting('d', { date: '2026-12-10', time: '14h-16h' }), meeting('e', { dateText: '12 mars' }),
    meeting('f', { date: '2026-10-01' }),
  ].map((m) => agendaMeeting(m, c));
  // 23:30 UTC on 1 December is already 2 December in Paris
  const a = buildAgenda(ms, new Date('2026-12-01T23:30:00Z'));
  assert.deepEqual(a.upcoming.map((m) => m.id), ['b', 'd', 'a']);
  assert.deepEqual(a.past.map((m) => m.id), ['c', 'f']);
  assert.deepEqual(a.undated.map((m) => m.id), ['e']);
  assert.equal(a.upcoming[2]!.start, '19:00');
  assert.equal(a.upcoming[2]!.end, '22:00');
  assert.equal(a.upcoming[2]!.kindLabel, 'Atelier');
});

const NOW = new Date('2026-12-02T08:00:00Z');

async function server() {
  const t = await testServer();
  await t.store.upsertMeetings([
    meeting('rodez', { title: 'Atelier de Rodez, salle; étage', date: '2026-12-15', time: '19H-22H', place: 'Rodez, salle des fêtes de Bourran', territory: '12' }),
    meeting('millau', { kind: 'pleniere', title: 'Plénière de Millau', date: '2027-01-20', time: 'après-midi', place: 'Millau, centre de congrès', territory: '12' }),
    meeting('passe', { title: 'Atelier passé', date: '2026-10-01', time: '14h-17h', place: 'St-Affrique, lycée', territory: '12' }),
    meeting('sans-annee', { title: 'Atelier sans année', dateText: '12 mars', place: 'Salle polyvalente', territory: '12' }),
  ]);
  await t.store.upsertConsultation({ slug: 'brouillon', title: 'Brouillon', territory: '12', status: 'draft', themes: [] });
  await t.store.upsertMeetings([meeting('cache', { consultation: 'brouillon', title: 'Réunion d’un brouillon', date: '2026-12-20' })]);
  return t;
}

test('GET /api/agenda lists upcoming meetings by date, past and undated apart, of public consultations only', async () => {
  const t = await server();
  try {
    const all = (await t.app.inject('/api/agenda')).json();
    const today = new Date().toISOString().slice(0, 10);
    for (const m of all.upcoming) assert.ok(m.date >= today);
    assert.ok(!JSON.stringify(all).includes('brouillon'), 'a draft consultation’s meetings stay hidden');
    const one = await t.app.inject('/api/agenda?consultation=essai');
    assert.equal(one.statusCode, 200);
    const body = one.json();
    assert.equal(body.consultation.slug, 'essai');
    assert.deepEqual(body.undated.map((m: { id: string }) => m.id), ['sans-annee']);
    assert.equal((await t.app.inject('/api/agenda?consultation=brouillon')).statusCode, 404);
    assert.equal((await t.app.inject('/api/agenda?consultation=inconnue')).statusCode, 404);
  } finally { await t.close(); }
});

test('the iCalendar files are valid RFC 5545, read back by another library, with stable UIDs and Paris times', async () => {
  const t = await server();
  try {
    const res = await t.app.inject('/api/consultations/essai/agenda.ics');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/calendar; charset=utf-8/);
    const text = res.body;
    // CRLF everywhere, no line over 75 octets (folded), commas and semicolons escaped
    assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
    for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
    assert.match(text, /SUMMARY:Atelier : Atelier de Rodez\\, salle\\; étage/);
    assert.match(text, /DTSTART;TZID=Europe\/Paris:20261215T190000/);
    assert.match(text, /BEGIN:VTIMEZONE\r\nTZID:Europe\/Paris/);
    assert.match(text, /DTSTAMP:\d{8}T\d{6}Z/);
    const events = Object.values(ical.sync.parseICS(text)).filter((e) => e?.type === 'VEVENT') as ical.VEvent[];
    const byUid = new Map(events.map((e) => [e.uid, e]));
    assert.equal(events.length, 3, 'the undated meeting is left out');
    const rodez = byUid.get('reunion-rodez.essai@fabrique')!;
    assert.ok(rodez, [...byUid.keys()].join(', '));
    // 19:00 in Paris in December is 18:00 UTC
    assert.equal(rodez.start.toISOString(), '2026-12-15T18:00:00.000Z');
    assert.equal(rodez.end?.toISOString(), '2026-12-15T21:00:00.000Z');
    assert.equal(rodez.location, 'Rodez, salle des fêtes de Bourran');
    const millau = byUid.get('reunion-millau.essai@fabrique')!;
    assert.equal(millau.datetype, 'date', 'a time that is no clock time gives an all-day event');
    assert.match(String(millau.description), /Horaire annoncé : après-midi/);
    const again = await t.app.inject('/api/consultations/essai/agenda.ics');
    assert.deepEqual([...again.body.matchAll(/UID:(.*)\r\n/g)].map((m) => m[1]), [...text.matchAll(/UID:(.*)\r\n/g)].map((m) => m[1]), 'the same UIDs each time');
    assert.match(text.replace(/\r\n[ \t]/g, ''), /X-WR-CALDESC:.*1 réunion sans date complète n’y figure pas/, 'folded lines unfold to the description');

    const single = await t.app.inject('/api/consultations/essai/agenda.ics?reunion=rodez');
    assert.equal(single.statusCode, 200);
    const one = Object.values(ical.sync.parseICS(single.body)).filter((e) => e?.type === 'VEVENT');
    assert.deepEqual(one.map((e) => (e as ical.VEvent).uid), ['reunion-rodez.essai@fabrique']);
    assert.equal((await t.app.inject('/api/consultations/essai/agenda.ics?reunion=inconnue')).statusCode, 404);
    assert.equal((await t.app.inject('/api/consultations/brouillon/agenda.ics')).statusCode, 404);

    const all = await t.app.inject('/api/agenda.ics');
    assert.equal(all.statusCode, 200);
    assert.ok(all.body.includes('UID:reunion-rodez.essai@fabrique'));
    assert.ok(!all.body.includes('brouillon'));
  } finally { await t.close(); }
});

test('a place names its commune: the longest commune name found as words, abbreviations of Saint read', async () => {
  const aveyron = (await communeIndex()).byDepartement.get('12')!;
  assert.equal(communeOfPlace('Rodez, salle des fêtes de Bourran', aveyron)?.name, 'Rodez');
  assert.equal(communeOfPlace('Villefranche-de-Rouergue, espace Laurière', aveyron)?.name, 'Villefranche-de-Rouergue');
  assert.equal(communeOfPlace('St-Affrique, lycée', aveyron)?.name, 'Saint-Affrique');
  assert.equal(communeOfPlace('Salle polyvalente', aveyron), null);
  assert.equal(communeOfPlace(null, aveyron), null);
});

test('areas under the threshold are merged into « autres communes », shown only from the threshold on', () => {
  const communes: Record<string, Commune[]> = {
    '12000': [{ code: '12202', name: 'Rodez', departement: '12', postcodes: ['12000'], population: 24000 }],
    '12100': [{ code: '12145', name: 'Millau', departement: '12', postcodes: ['12100'], population: 22000 }],
    '46000': [{ code: '46042', name: 'Cahors', departement: '46', postcodes: ['46000'], population: 19000 }],
  };
  const r = publishableAreas([{ postcode: '12000', count: 5 }, { postcode: '12100', count: 4 }, { postcode: '46000', count: 9 }], (p) => communes[p] ?? [], (d) => d === '12');
  assert.deepEqual(r.areas.map((a) => [a.postcode, a.count]), [['12000', 5]]);
  assert.equal(r.others, 13, 'the small area and the one outside the territory, together');
  const small = publishableAreas([{ postcode: '12000', count: 7 }, { postcode: '12100', count: 4 }], (p) => communes[p] ?? [], () => true);
  assert.equal(small.others, null, 'four contributions are never shown as such');
  assert.equal(small.merged, true);
});

test('the map counts published contributions by postcode with k ≥ 5; the postcode goes with an erased contribution', async () => {
  const t = await server();
  try {
    const v = await Client.create(t.app, '192.0.2.90');
    const ids: string[] = [];
    const send = async (postcode: string, n: number) => {
      for (let i = 0; i < n; i++) {
        const res = await v.post('/api/consultations/essai/contributions', { text: `Avis ${postcode} numéro ${i} sur l’accès aux soins`, postcode });
        assert.equal(res.statusCode, 201, res.body);
        ids.push(res.json().id);
      }
    };
    await send('12000', 6);
    await send('12100', 2);
    await send('12390', 1);
    await send('99999', 1); // no such postcode: nothing finer than the département is kept
    const pending = await v.post('/api/consultations/essai/contributions', { text: 'Une contribution pas encore modérée', postcode: '12000' });
    await t.app.close(); // flushes the form queue
    const ctx = context(t.store, { name: 'test', role: 'admin' }, () => NOW);
    await moderateContributions(ctx, { ids, action: 'publish' });
    assert.equal(await contributionArea(t.store, ids[0]!), '12000');
    assert.equal(await contributionArea(t.store, ids.at(-1)!), null, 'an unknown postcode is not kept');
    assert.equal(await contributionArea(t.store, pending.json().id), '12000');

    const { consultationMap } = await import('../src/usecases/map.ts');
    const map = await consultationMap(ctx, 'essai');
    assert.deepEqual(map.contributions.areas.map((a) => [a.postcode, a.communes[0], a.count]), [['12000', 'Rodez', 6]], 'the pending one is not counted');
    assert.equal(map.contributions.others, null, '3 contributions of smaller areas: merged and not shown');
    assert.equal(map.contributions.merged, true);
    assert.equal(map.contributions.total, 10);
    // 6 counted by sector; the 3 of smaller sectors are not added in anywhere they could be subtracted from
    assert.equal(map.contributions.withPostcode, 6);
    assert.equal(map.contributions.othersAreas, 0);
    assert.deepEqual(map.departements.map((d) => [d.code, d.contributions, d.meetings]), [['12', 9, 4]], '99999 names no département');
    assert.ok(map.departements[0]!.path?.startsWith('m '), 'the département’s outline');
    assert.ok(map.viewBox && map.context.length > 3, 'neighbours drawn for context');
    assert.equal(map.meetings.find((m) => m.id === 'passe')?.commune?.name, 'Saint-Affrique');
    assert.equal(map.meetings.find((m) => m.id === 'sans-annee')?.commune, null);
    assert.match(map.attributions.map((a) => a.licence).join(' '), /CC BY 4\.0.*Licence Ouverte/);

    // erasing one of Rodez: 5 remain, still shown; a second one: 4, merged
    await deleteContribution(ctx, { id: ids[0]!, mode: 'erase' });
    assert.equal(await contributionArea(t.store, ids[0]!), null, 'the postcode is erased with the contribution');
    assert.equal((await consultationMap(ctx, 'essai')).contributions.areas[0]?.count, 5);
    await deleteContribution(ctx, { id: ids[1]!, mode: 'delete' });
    const after = await consultationMap(ctx, 'essai');
    assert.deepEqual(after.contributions.areas, []);
    assert.equal(after.contributions.others, 7, 'all areas merged: 4 + 2 + 1');
  } finally { await t.store.close(); }
});

test('GET /api/consultations/:slug/carte answers the map; a draft or unknown consultation is a 404', async () => {
  const t = await server();
  try {
    const res = await t.app.inject('/api/consultations/essai/carte');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().consultation.territoryName, 'Aveyron');
    assert.equal((await t.app.inject('/api/consultations/brouillon/carte')).statusCode, 404);
  } finally { await t.close(); }
});

storeTest('the map’s counts by postcode and the erasure of a postcode, on each database', async (store) => {
  await store.upsertTerritory({ code: '76', name: 'Occitanie', level: 'region' });
  await store.upsertTerritory({ code: '12', name: 'Aveyron', level: 'departement', parent: '76' });
  await store.upsertConsultation({ slug: 'carte', title: 'Carte', territory: '12', status: 'open', periodStart: '2026-01-01', periodEnd: '2099-12-31', themes: [] });
  const ctx = context(store, { name: 'test', role: 'admin' }, () => NOW);
  const ids: string[] = [];
  for (const [postcode, n] of [['12000', 5], ['12100', 1]] as const) {
    for (let i = 0; i < n; i++) ids.push((await submitContribution(ctx, { consultation: 'carte', text: `Avis ${postcode} ${i} sur les soins`, postcode })).id);
  }
  await moderateContributions(ctx, { ids, action: 'publish' });
  const { consultationMap } = await import('../src/usecases/map.ts');
  const map = await consultationMap(ctx, 'carte');
  assert.deepEqual(map.contributions.areas.map((a) => [a.postcode, a.count]), [['12000', 5]]);
  assert.equal(map.contributions.others, null);
  await deleteContribution(ctx, { id: ids[0]!, mode: 'erase' });
  assert.equal(await contributionArea(store, ids[0]!), null);
  assert.deepEqual((await consultationMap(ctx, 'carte')).contributions.areas, []);
});
