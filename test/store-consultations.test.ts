import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { UserError } from '../src/domain/errors.ts';
import { resolveScope, scopeTerritories } from '../src/domain/territory.ts';
import { listAudit } from '../src/store/audit.ts';
import { consultationCounts, saveConsultation } from '../src/store/consultations.ts';
import { listIndicators } from '../src/store/indicators.ts';
import { testConsultation } from './helpers/fixtures.ts';
import { storeTest } from './helpers/stores.ts';

const indicator = { id: 'apl', label: 'APL', territory: '76', year: 2022, value: 2.9, source: 'valeurs fictives' };

describe('consultation repository', () => {
  storeTest('a consultation is written with its territories, meetings, indicators and audit entry, or not at all', async (store) => {
    const scope = resolveScope('76', 'region');
    const consultation = { ...testConsultation('occitanie'), territory: '76', territoryLevel: 'region' as const };
    const audit = { actor: 'test', action: 'consultation.create', consultation: 'occitanie', targetType: 'consultation', targetId: 'occitanie' };
    const meeting = { id: 'occitanie:m1', consultation: 'occitanie', kind: 'pleniere' as const, title: 'Plénière', participants: { elus: 2, institutionnels: null, professionnels: null, associations: null, usagers: null, autres: null, total: 2 } };

    // an invalid indicator rolls everything back: no consultation, no territory, no meeting, no audit entry
    await assert.rejects(saveConsultation(store, {
      consultation, territories: scopeTerritories(scope), meetings: [meeting], audit: [audit], mustBeNew: true,
      indicators: { territory: '76', level: 'region', items: [indicator, { ...indicator }] },
    }), (e) => e instanceof UserError && e.code === 'invalid');
    assert.equal(await store.getConsultation('occitanie'), undefined);
    assert.equal(await store.getTerritory('76', 'region'), undefined);
    assert.equal((await listAudit(store, { consultation: 'occitanie' })).length, 0);

    assert.equal(await saveConsultation(store, {
      consultation, territories: scopeTerritories(scope), meetings: [meeting], audit: [audit], mustBeNew: true,
      indicators: { territory: '76', level: 'region', items: [indicator] },
    }), true);
    assert.equal((await store.getConsultation('occitanie'))?.territoryLevel, 'region');
    assert.equal((await store.getTerritory('76', 'region'))?.name, 'Occitanie');
    assert.deepEqual((await store.listMeetings('occitanie')).map((m) => m.id), ['occitanie:m1']);
    assert.deepEqual((await listIndicators(store, '76', 'region')).map((i) => i.value), [2.9]);
    assert.equal((await listAudit(store, { consultation: 'occitanie' })).length, 1);
    assert.deepEqual((await consultationCounts(store)).get('occitanie'), { contributions: 0, meetings: 1 });

    // the slug is taken: a conflict, and the second write leaves no trace
    await assert.rejects(saveConsultation(store, {
      consultation: { ...consultation, title: 'Autre' }, territories: [], audit: [audit], mustBeNew: true,
    }), (e) => e instanceof UserError && e.code === 'conflict');
    assert.equal((await store.getConsultation('occitanie'))?.title, consultation.title);
    assert.equal((await listAudit(store, { consultation: 'occitanie' })).length, 1);
  });
});
