import { test } from 'node:test';
import assert from 'node:assert/strict';
import { departementOfPostcode, emptyParticipants, participantsSum, isValidSlug } from '../src/domain/index.ts';

test('participants: NC is not zero, sum ignores NC', () => {
  const p = emptyParticipants();
  assert.equal(participantsSum(p), null);
  p.elus = 11; p.usagers = 0;
  assert.equal(participantsSum(p), 11);
});

test('postcodes map to départements, Corsica and overseas included', () => {
  assert.equal(departementOfPostcode('46000'), '46');
  assert.equal(departementOfPostcode('20090'), '2A');
  assert.equal(departementOfPostcode('20200'), '2B');
  assert.equal(departementOfPostcode('97400'), '974');
  assert.equal(departementOfPostcode('4600'), undefined);
});

test('slugs', () => {
  assert.ok(isValidSlug('demo'));
  assert.ok(isValidSlug('cnr-sante-lot-2022'));
  assert.ok(!isValidSlug('Demo'));
  assert.ok(!isValidSlug('-x'));
});
