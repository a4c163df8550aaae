import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Store, configFromEnv } from '../../store/index.ts';
import type { Contribution } from '../../domain/contribution.ts';
import { csvHeader, toCsvRecord, toExported } from '../../store/export.ts';
import { privateTexts } from '../../store/moderation.ts';
import { parseCommandArgs, UsageError, type Command } from '../args.ts';

export const exportCommand: Command = {
  name: 'export',
  summary: 'exporte les contributions (texte pseudonymisé) en JSON Lines ou CSV (toutes les consultations, ou une seule)',
  usage: 'fabrique export contributions [--format jsonl|csv] [--consultation <slug>] [--theme N] [--with-originals] [--out fichier]',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      format: { type: 'string', default: 'jsonl' },
      consultation: { type: 'string', short: 'c' },
      theme: { type: 'string' },
      kind: { type: 'string' },
      out: { type: 'string', short: 'o' },
      'with-originals': { type: 'boolean' },
    });
    if (positionals[0] !== 'contributions' || positionals.length > 1) {
      throw new UsageError('que voulez-vous exporter ? seul « contributions » est disponible');
    }
    const format = values.format;
    if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`format inconnu : ${format} (jsonl ou csv)`);
    const store = await Store.open(configFromEnv());
    try {
      const slugs = values.consultation
        ? [(await store.requireConsultation(values.consultation)).slug]
        : (await store.listConsultations()).map((c) => c.slug);
      const out: Writable = values.out ? createWriteStream(values.out) : process.stdout;
      const write = async (s: string) => { if (!out.write(s)) await once(out, 'drain'); };
      // Texts as written (before pseudonymisation) are personal data: exported only when asked for.
      const withOriginals = values['with-originals'] === true;
      if (withOriginals) console.error('Attention : --with-originals exporte les textes d’origine, avec les données personnelles masquées ailleurs.');
      if (format === 'csv') await write('\ufeff' + csvHeader(withOriginals) + '\r\n');
      let n = 0;
      const flush = async (batch: Contribution[]) => {
        const originals = withOriginals ? await privateTexts(store, batch.map((c) => c.id)) : undefined;
        for (const c of batch) {
          const original = originals ? originals.get(c.id)?.original ?? null : undefined;
          await write(format === 'jsonl' ? JSON.stringify(toExported(c, original)) + '\n' : toCsvRecord(c, original) + '\r\n');
          n++;
        }
      };
      for (const slug of slugs) {
        const filter = { ...(values.theme ? { theme: values.theme } : {}), ...(values.kind ? { kind: values.kind } : {}) };
        let batch: Contribution[] = [];
        for await (const c of store.iterateContributions(slug, filter)) {
          batch.push(c);
          if (batch.length >= 500) { await flush(batch); batch = []; }
        }
        await flush(batch);
      }
      if (values.out) {
        out.end();
        await once(out, 'finish');
        console.error(`${n} contributions exportées dans ${values.out}`);
      }
    } finally {
      await store.close();
    }
  },
};
