import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { nirKeyValid, pseudonymise, type MaskKind } from '../src/privacy/pseudonymise.ts';

// Every name, address and number below is made up.
const kinds = (text: string) => pseudonymise(text).masked.map((m) => m.kind);
const originals = (text: string, kind?: MaskKind) => pseudonymise(text).masked.filter((m) => !kind || m.kind === kind).map((m) => m.original);

describe('pseudonymisation', () => {
  test('adresses e-mail', () => {
    assert.deepEqual(originals('Écrire à jean.exemple@courriel.test.'), ['jean.exemple@courriel.test']);
    assert.deepEqual(originals('contact: prenom.nom+ars@sous.domaine.exemple.fr, merci'), ['prenom.nom+ars@sous.domaine.exemple.fr']);
    assert.equal(pseudonymise('mail : a_b-c@exemple.org').text, 'mail : [courriel]');
    assert.deepEqual(kinds('le signe @ seul, ou 10 @ 20 euros'), []);
  });

  test('numéros de téléphone français, tous formats', () => {
    for (const phone of ['06 12 34 56 78', '0612345678', '06.12.34.56.78', '06-12-34-56-78', '+33 6 12 34 56 78', '+33612345678',
      '+33 (0)5 65 12 34 56', '0033 5 65 12 34 56', '0033565123456', '09 70 12 34 56', '+33 1 23 45 67 89']) {
      const r = pseudonymise(`Appelez le ${phone} le matin.`);
      assert.equal(r.text, 'Appelez le [téléphone] le matin.', phone);
      assert.equal(r.masked[0]!.original, phone);
    }
    for (const notPhone of ['En 2022, 1234567890 euros', 'le 12 03 2024', 'code 00000', 'ligne 0012345678', 'tél. 06 12 34 56', '061234567890']) {
      assert.deepEqual(kinds(notPhone), [], notPhone);
    }
  });

  test('NIR, clé juste ou fausse', () => {
    assert.equal(nirKeyValid('1850578006084', '91'), true);
    assert.equal(nirKeyValid('1850578006084', '92'), false);
    assert.equal(nirKeyValid('269052A123456', '88'), true, 'Corse : 2A compte pour 19');
    for (const nir of ['1 85 05 78 006 084 91', '185057800608491', '1.85.05.78.006.084.91', '2 69 05 2A 123 456 88']) {
      const r = pseudonymise(`Mon numéro de sécu est ${nir}.`);
      assert.equal(r.text, 'Mon numéro de sécu est [NIR].', nir);
      assert.equal(r.masked[0]!.kind, 'nir');
    }
    assert.deepEqual(kinds('Numéro 1 85 05 78 006 084 92 (clé fausse)'), ['nir'], 'une clé fausse (faute de frappe) reste un NIR à masquer');
    assert.deepEqual(kinds('Numéro 1850578006084, sans la clé'), ['nir']);
    assert.deepEqual(kinds('Numéro 1 85 15 78 006 084 xx'), [], 'mois 15 : pas un NIR');
  });

  test('adresses postales', () => {
    const cases: [string, string][] = [
      ['J’habite 12 rue des Lilas, 12000 Rodez depuis dix ans.', '12 rue des Lilas, 12000 Rodez'],
      ['au 3 bis avenue du Général de Gaulle', '3 bis avenue du Général de Gaulle'],
      ['Le cabinet, 4 place de la Mairie, est fermé', '4 place de la Mairie'],
      ['Adresse : 27 chemin de Saint-Martin 46100 Figeac', '27 chemin de Saint-Martin 46100 Figeac'],
      ['Écrivez au 8, impasse Jean-Moulin', '8, impasse Jean-Moulin'],
      ['c’est au 15 bd Victor Hugo', '15 bd Victor Hugo'],
      ['nous sommes 5 allée des Tilleuls 12340 Bozouls', '5 allée des Tilleuls 12340 Bozouls'],
      ['au 2 route de l’Église', '2 route de l’Église'],
      ['au 12 rue des lilas', '12 rue des lilas'],
    ];
    for (const [text, address] of cases) assert.deepEqual(originals(text, 'address'), [address], text);
    for (const text of ['La rue principale est dangereuse', 'Il y a 3 routes pour aller à l’hôpital', '2 places en EHPAD', '30 cours de sport par an']) {
      assert.deepEqual(kinds(text), [], text);
    }
  });

  test('noms de personnes après un titre', () => {
    const cases: [string, string[]][] = [
      ['Le Dr Martin est parti à la retraite', ['Martin']],
      ['Le docteur est parti ; le Docteur Bernard aussi', ['Bernard']],
      ['Mme Dupont-Durand et M. Le Goff', ['Dupont-Durand', 'Le Goff']],
      ['Madame Sophie Exemple nous a aidés', ['Sophie Exemple']],
      ['Monsieur de Villefranche', ['de Villefranche']],
      ['le Pr J. Moreau et Pr. Ndiaye', ['J. Moreau', 'Ndiaye']],
      ['Merci à Mlle Petit et Maître Girard', ['Petit', 'Girard']],
      ['Dr. Anne-Claire Fictif', ['Anne-Claire Fictif']],
    ];
    for (const [text, names] of cases) assert.deepEqual(originals(text, 'name'), names, text);
    for (const text of ['Monsieur le Maire a promis une maison de santé', 'Madame la Directrice de l’hôpital', 'Monsieur Le Maire', 'M. le Préfet', 'mesdames et messieurs']) {
      assert.deepEqual(kinds(text), [], text);
    }
    assert.equal(pseudonymise('Le Dr Martin.').text, 'Le Dr [nom].');
  });

  test('prénoms sans titre : liste, indices de parenté, homonymes de mots et de lieux', () => {
    const cases: [string, string[]][] = [
      ["Jeanne m'a dit que le car ne passait plus", ['Jeanne']],
      ['Mon fils Lucas et ma fille rose sont suivis au CMP', ['Lucas', 'rose']],
      ['le docteur bernard et le docteur martin', ['bernard', 'martin']],
      ['Ma voisine, Jeanne Fictif, vit seule', ['Jeanne Fictif']],
      ['Mon voisin M. Roques conduit', ['Roques']],
      ["Rose m'a appelée ; Pierre est venu avec Claire", ['Rose', 'Pierre', 'Claire']],
      ['Florence Fictif, infirmière, et la conseillère départementale Viguié', ['Florence Fictif', 'Viguié']],
      ['MON FILS LUCAS EST MALADE', ['LUCAS']],
      ["la fille d'Anne attend", ['Anne']],
    ];
    for (const [text, names] of cases) assert.deepEqual(originals(text, 'name'), names, text);
    for (const text of ['À Lourdes et à Florence, en France', 'La Marine nationale', 'Grâce à la PMI', 'Pierre après pierre',
      "l'hôpital Georges Pompidou, la rue Victor Hugo, Saint-Martin", 'le syndrome de Gilles de la Tourette', "la vallée d'Aure",
      'France Travail et France Alzheimer', 'une infirmière Asalée', 'un test ELISA', 'ma Renault Mégane']) {
      assert.deepEqual(kinds(text), [], text);
    }
  });

  test('dates de naissance et identifiants', () => {
    assert.deepEqual(originals('né le 3 mars 1957, née en 1948, date de naissance : 12/04/1961, DDN 17/09/19', 'birthdate'),
      ['3 mars 1957', '1948', '12/04/1961', '17/09/19']);
    assert.deepEqual(originals('Née à Saint-Flour le 7 juin 1961.', 'birthdate'), ['7 juin 1961']);
    assert.deepEqual(originals('IPP 004512378 ; dossier n° 2021/12345 ; numéro de patient : P-88213 ; RPPS 10003456789 ; ADELI 469001234', 'id'),
      ['004512378', '2021/12345', 'P-88213', '10003456789', '469001234']);
    for (const text of ['Il ne viendra pas avant 2025', 'le dossier de 2019', 'numéro FINESS 460780216', 'les enfants nés en 2020', 'elle a 87 ans']) {
      assert.deepEqual(kinds(text), [], text);
    }
  });

  test('plusieurs données dans un texte : positions dans l’original, remplacement exact', () => {
    const text = 'Mme Exemple (06 12 34 56 78, exemple@courriel.test) habite 9 rue Haute 12500 Espalion ; NIR 1 85 05 78 006 084 91.';
    const r = pseudonymise(text);
    assert.equal(r.text, 'Mme [nom] ([téléphone], [courriel]) habite [adresse] ; NIR [NIR].');
    assert.deepEqual(r.masked.map((m) => m.kind), ['name', 'phone', 'email', 'address', 'nir']);
    for (const m of r.masked) assert.equal(text.slice(m.start, m.end), m.original);
    const plain = 'Il faut plus de médecins généralistes en Aveyron : 30 % des habitants n’en ont plus (chiffres 2022).';
    assert.deepEqual(pseudonymise(plain), { text: plain, masked: [] });
    assert.deepEqual(pseudonymise(''), { text: '', masked: [] });
  });
});
