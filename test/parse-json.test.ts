import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyParticipants } from '../src/domain/index.ts';
import { toParseJson } from '../src/ingest/parse-json.ts';
import type { ParsedDocument } from '../src/ingest/types.ts';

const ID = 'b'.repeat(64);

function doc(): ParsedDocument {
  const participants = { ...emptyParticipants(), elus: 3, total: 5 };
  return {
    documentId: ID, fileName: 'essai.txt', mediaType: 'text/plain', sizeBytes: 10, parser: 'essai', parserVersion: '1.0.0', themes: [],
    meetings: [{ id: 'm1', consultation: 'c', kind: 'atelier', ref: '2.1.2', title: 'Villebourg', place: 'Villebourg', territory: '99',
      date: '2022-11-21', dateText: '21/11/22', time: '18h-20h', participants, deroulement: 'Calme.' }],
    contributions: [
      { id: 'c1', consultation: 'c', meeting: 'm1', channel: 'atelier', text: 'Un constat', rawText: ' Un constat', kind: 'constat',
        category: 'Sous-titre', territory: '99', themes: [{ theme: '2', provenance: { by: 'source', documentId: ID } }],
        moderation: { status: 'published' }, source: { documentId: ID, file: 'essai.txt', page: 1, lineStart: 4, lineEnd: 5, charStart: 10, charEnd: 20 } },
      { id: 'c2', consultation: 'c', channel: 'en_ligne', text: 'Sans réunion', kind: 'action_en_cours', themes: [],
        moderation: { status: 'published' }, source: { documentId: ID, file: 'essai.txt' } },
      { id: 'c3', consultation: 'c', meeting: 'm1', channel: 'atelier', text: 'Idée', kind: 'proposition',
        themes: [{ theme: '1', provenance: { by: 'source', documentId: ID } }], moderation: { status: 'published' }, source: { documentId: ID, file: 'essai.txt' } },
      { id: 'c4', consultation: 'c', meeting: 'm1', channel: 'atelier', text: 'Frein', kind: 'levier_frein',
        themes: [], moderation: { status: 'published' }, source: { documentId: ID, file: 'essai.txt' } },
    ],
    syntheses: [{ label: 'Idée', statedCount: 3, quotes: ['q'], children: [{ label: 'Sous-idée', quotes: [], children: [], source: { documentId: ID, file: 'essai.txt', lineStart: 2, lineEnd: 2 } }],
      source: { documentId: ID, file: 'essai.txt', lineStart: 1, lineEnd: 3 } }],
    warnings: [{ level: 'info', code: 'x.y', message: 'Message.' }],
  };
}

test('toParseJson: the documented shape, domain names mapped', () => {
  const j = toParseJson(doc());
  assert.equal(j.file, 'essai.txt');
  assert.deepEqual(j.meetings[0], {
    id: 'm1', ref: '2.1.2', departement: '99', title: 'Villebourg', place: 'Villebourg', date: '2022-11-21', dateText: '21/11/22', time: '18h-20h',
    kind: 'atelier', participants: { elus: 3, institutionnels: null, professionnels: null, associations: null, usagers: null, autres: null, total: 5 },
    deroulement: 'Calme.', source: null,
  });
  assert.deepEqual(j.contributions[0], {
    id: 'c1', meeting: '2.1.2', theme: '2', kind: 'problematique', category: 'Sous-titre', text: 'Un constat', rawText: ' Un constat', departement: '99',
    source: { file: 'essai.txt', page: 1, lineStart: 4, lineEnd: 5, charStart: 10, charEnd: 20 },
  });
  assert.deepEqual(j.contributions.map((c) => [c.meeting, c.theme, c.kind]), [['2.1.2', '2', 'problematique'], [null, null, 'action'], ['2.1.2', '1', 'solution'], ['2.1.2', null, 'levier']]);
  assert.deepEqual(j.syntheses[0]?.children[0], { label: 'Sous-idée', statedCount: null, quotes: [], children: [],
    source: { file: 'essai.txt', page: null, lineStart: 2, lineEnd: 2, charStart: null, charEnd: null } });
  assert.deepEqual(j.warnings, [{ level: 'info', code: 'x.y', message: 'Message.', source: null }]);
  // plain JSON: survives a round trip unchanged
  assert.deepEqual(JSON.parse(JSON.stringify(j)), j);
});
