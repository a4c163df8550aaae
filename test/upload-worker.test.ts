/**
 * Uploads are parsed off the event loop (worker thread), under the zip-bomb limits for both office
 * formats and a memory ceiling; a failing worker becomes a clean error and the server keeps serving.
 */
import { strict as assert } from 'node:assert';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import Papa from 'papaparse';
import { miniZip, type ZipInput } from './helpers/mini-zip.ts';
import { contributionsCsv, multipart } from './helpers/multipart.ts';
import { Client, testServer, type TestServer } from './helpers/server.ts';

const URL_IMPORTS = '/api/admin/consultations/essai/imports';
const MB = 1024 * 1024;

/** Peak resident memory of this process (worker threads included) so far, in bytes. */
const peakRss = () => process.resourceUsage().maxRSS * 1024;

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const ROW = `<row r="2"><c r="A2" t="inlineStr"><is><t>Réponse répétée à l’infini</t></is></c></row>`;

/**
 * A valid XLSX workbook of one sheet: a header row, then `block` repeated `times` times (inline
 * strings). `times` = 300 with a 1 Mo block is a sheet of 300 Mo in an archive of ~1 Mo (the rows all
 * say they are row 2, which keeps the repetition compressible; a reader still has to go through every
 * one). `declaredSize` makes the archive lie about the sheet's size.
 */
function xlsxBomb(block: string, times: number, declaredSize?: number): Buffer {
  const files: ZipInput[] = [
    { name: '[Content_Types].xml', data: `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>` },
    { name: '_rels/.rels', data: `${XML}<Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', data: `${XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Réponses" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    { name: 'xl/_rels/workbook.xml.rels', data: `${XML}<Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>` },
    {
      name: 'xl/worksheets/sheet1.xml', data: '',
      parts: [
        { data: `${XML}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Texte</t></is></c></row>` },
        { data: block, times },
        { data: '</sheetData></worksheet>' },
      ],
      ...(declaredSize !== undefined ? { declaredSize } : {}),
    },
  ];
  return Buffer.from(miniZip(files));
}

const PARA = '<w:p><w:r><w:t>Compte rendu répété sans fin.</w:t></w:r></w:p>';

/** A DOCX whose body is `block` repeated `times` times. */
function docxBomb(block: string, times: number, declaredSize?: number): Buffer {
  return Buffer.from(miniZip([
    { name: '[Content_Types].xml', data: `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>` },
    { name: '_rels/.rels', data: `${XML}<Relationships xmlns="${RELS}"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>` },
    {
      name: 'word/document.xml', data: '',
      parts: [
        { data: `${XML}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` },
        { data: block, times },
        { data: '</w:body></w:document>' },
      ],
      ...(declaredSize !== undefined ? { declaredSize } : {}),
    },
  ]));
}

/** About 10 Mo of CSV: 10,000 contributions and a long column that the import ignores. */
function largeCsv(rows = 10_000): string {
  const filler = 'x'.repeat(1000);
  const lines = ['Texte;Thème;Empreinte'];
  for (let i = 0; i < rows; i++) lines.push(`Plus de médecins généralistes dans le canton (réponse ${i});${1 + (i % 4)};${filler}`);
  return lines.join('\r\n') + '\r\n';
}

describe('envois de fichiers : analyse hors de la boucle d’événements, bombes ZIP, plafond mémoire', () => {
  let t: TestServer;
  let analyst: Client;
  // these files are parsed within the request (the parse worker under test), however large: no import job
  const inRequest = { importJobBytes: 64 * MB };
  before(async () => {
    t = await testServer(inRequest);
    analyst = await (await Client.create(t.app)).login('analyst');
  });
  after(async () => { await t.close(); });

  const upload = (client: Client, name: string, content: Buffer | string) => client.request({ method: 'POST', url: URL_IMPORTS, ...multipart(name, content) });

  // first in the file: the peak RSS must not be raised already by the large CSV below
  test('une bombe XLSX (feuille de 300 Mo dans ~1 Mo) est refusée en clair, la mémoire reste bornée, rien n’est enregistré', async (ctx) => {
    // the bomb's structure is a readable workbook: the same archive with a small sheet imports
    // (which also loads the spreadsheet reader in the parse worker before memory is measured)
    const small = await upload(analyst, 'petit.xlsx', xlsxBomb(ROW.repeat(10), 3));
    assert.equal(small.statusCode, 201, small.body);
    assert.equal(small.json().contributions, 1);

    const block = ROW.repeat(Math.ceil(MB / Buffer.byteLength(ROW)));
    const honest = xlsxBomb(block, 300);
    const lying = xlsxBomb(block, 300, 5 * MB);
    assert.ok(honest.length < 2 * MB, `archive de ${honest.length} octets`);
    const counts = await t.store.tableCounts();
    const peakBefore = peakRss();
    for (const [name, bytes] of [['bombe.xlsx', honest], ['menteuse.xlsx', lying]] as const) {
      const res = await upload(analyst, name, bytes);
      assert.equal(res.statusCode, 413, res.body);
      assert.equal(res.json().error.code, 'too_large');
      assert.match(res.json().error.message, new RegExp(`« ${name} » est refusé : (taux de compression anormal|une fois décompressé.*200 Mo).*bombe ZIP.*Rien n’a été importé`));
    }
    const growth = peakRss() - peakBefore;
    ctx.diagnostic(`archive ${Math.round(honest.length / 1024)} Ko, pic de mémoire +${Math.round(growth / MB)} Mo`);
    assert.ok(growth < 256 * MB, `pic de mémoire : +${Math.round(growth / MB)} Mo (plafond de l’analyse : 512 Mo)`);
    assert.deepEqual(await t.store.tableCounts(), counts, 'rien n’a été enregistré');
  });

  test('une bombe DOCX reste refusée (413), qu’elle déclare sa taille ou qu’elle mente', async (ctx) => {
    // a small document of the same make goes through (and loads the document readers in the worker)
    const small = await upload(analyst, 'petit.docx', docxBomb(PARA, 3));
    assert.ok(small.statusCode < 500, small.body);
    const block = PARA.repeat(Math.ceil(MB / PARA.length));
    const counts = await t.store.tableCounts();
    const peakBefore = peakRss();
    for (const [name, bytes] of [['bombe.docx', docxBomb(block, 300)], ['menteuse.docx', docxBomb(block, 300, 2 * MB)]] as const) {
      const res = await upload(analyst, name, bytes);
      assert.equal(res.statusCode, 413, res.body);
      assert.match(res.json().error.message, /bombe ZIP.*Rien n’a été importé/);
    }
    const growth = peakRss() - peakBefore;
    ctx.diagnostic(`pic de mémoire +${Math.round(growth / MB)} Mo`);
    assert.ok(growth < 128 * MB, `pic de mémoire : +${Math.round(growth / MB)} Mo`);
    assert.deepEqual(await t.store.tableCounts(), counts, 'rien n’a été enregistré');
  });

  test('un analyseur qui dépasse son plafond mémoire ou son délai : erreur claire, le serveur continue', async () => {
    const tight = await testServer({ ...inRequest, parse: { memoryMb: 32 } });
    const slow = await testServer({ ...inRequest, parse: { timeoutMs: 1 } });
    try {
      const client = await (await Client.create(tight.app)).login('analyst');
      const counts = await tight.store.tableCounts();
      // ~30 Mo of text against a 32 Mo heap: over the ceiling whatever the garbage collector's timing
      let res = await upload(client, 'lourd.csv', largeCsv(30_000));
      assert.equal(res.statusCode, 413, res.body);
      assert.equal(res.json().error.code, 'too_large');
      assert.match(res.json().error.message, /« lourd\.csv » demande plus de mémoire que la limite de 32 Mo.*Rien n’a été importé/);
      assert.deepEqual(await tight.store.tableCounts(), counts, 'rien n’a été enregistré');
      // the server still answers, and the next (small) file is parsed by a fresh worker
      res = await client.get('/api/consultations/essai');
      assert.equal(res.statusCode, 200);
      res = await upload(client, 'petit.csv', contributionsCsv(8));
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().contributions, 8);

      const other = await (await Client.create(slow.app)).login('analyst');
      res = await upload(other, 'petit.csv', contributionsCsv(8));
      assert.equal(res.statusCode, 422, res.body);
      assert.match(res.json().error.message, /« petit\.csv » a dépassé la durée maximale.*Rien n’a été importé/);
      assert.equal((await other.get('/api/consultations/essai')).statusCode, 200);
    } finally {
      await tight.close();
      await slow.close();
    }
  });

  // last: it raises the process's memory for good
  test('pendant l’analyse d’un CSV de 10 Mo, une autre requête reçoit sa réponse avant la fin de l’analyse', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const events: string[] = [];
    let getDone: Promise<void> | undefined;
    // the other request goes out once the file is being parsed: when a parse worker starts, or,
    // if the parsing happens on the main thread, from inside the CSV parser itself
    const sendGet = () => {
      getDone ??= (async () => {
        events.push('get sent');
        const res = await fetch(`http://127.0.0.1:${port}/api/consultations/essai`);
        assert.equal(res.status, 200);
        await res.arrayBuffer();
        events.push('get answered');
      })();
    };
    const onStart = () => sendGet();
    subscribe('fabrique:parse:start', onStart);
    const papaParse = Papa.parse;
    Papa.parse = ((...args: Parameters<typeof Papa.parse>) => { sendGet(); return papaParse(...args); }) as typeof Papa.parse;
    const importParsed = t.store.importParsed.bind(t.store);
    t.store.importParsed = async (...args) => { events.push('parsed'); return importParsed(...args); };
    try {
      const csv = largeCsv();
      assert.ok(csv.length > 10 * 1000 * 1000);
      const res = await upload(analyst, 'grand.csv', csv);
      events.push('upload answered');
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().contributions, 10_000);
      assert.ok(getDone, 'la requête concurrente est partie pendant l’analyse');
      await getDone;
      assert.deepEqual(events, ['get sent', 'get answered', 'parsed', 'upload answered']);
    } finally {
      unsubscribe('fabrique:parse:start', onStart);
      Papa.parse = papaParse;
      t.store.importParsed = importParsed;
    }
  });
});
