import { createWriteStream, existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Store, configFromEnv } from '../../store/index.ts';
import type { Contribution } from '../../domain/contribution.ts';
import { csvHeader, toCsvRecord, toExported } from '../../store/export.ts';
import { exportConsultationArchive } from '../../store/archive.ts';
import { privateTexts } from '../../store/moderation.ts';
import { UserError } from '../../domain/errors.ts';
import { parseCommandArgs, requireOption, UsageError, type Command } from '../args.ts';

export const exportCommand: Command = {
  name: 'export',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      format: { type: 'string' },
      consultation: { type: 'string', short: 'c' },
      theme: { type: 'string' },
      kind: { type: 'string' },
      out: { type: 'string', short: 'o' },
      force: { type: 'boolean' },
      'with-originals': { type: 'boolean' },
    });
    if (positionals[0] === 'consultation' && positionals.length === 1) return exportArchive(values);
    if (positionals[0] !== 'contributions' || positionals.length > 1) {
      throw new UsageError('que voulez-vous exporter ? « contributions » ou « consultation »');
    }
    const format = values.format ?? 'jsonl';
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

/** `export consultation --format archive`: the ZIP is written beside its destination, then renamed into place. */
async function exportArchive(values: { format?: string; consultation?: string; out?: string; force?: boolean; theme?: string; kind?: string }): Promise<void> {
  const format = values.format ?? 'archive';
  if (format !== 'archive') throw new UsageError(`format inconnu pour une consultation : ${format} (archive)`);
  if (values.theme || values.kind) throw new UsageError('une archive contient toute la consultation : --theme et --kind ne s’appliquent pas');
  const slug = requireOption(values.consultation, 'consultation');
  const out = requireOption(values.out, 'out');
  if (existsSync(out) && !values.force) throw new UserError('conflict', `Le fichier ${out} existe déjà : choisissez un autre nom ou ajoutez --force pour le remplacer.`);
  const store = await Store.open(configFromEnv());
  try {
    await store.requireConsultation(slug);
    const { zip, manifest } = await exportConsultationArchive(store, slug);
    const tmp = join(dirname(resolve(out)), `.${basename(out)}.${process.pid}.tmp`);
    try {
      await writeFile(tmp, zip);
      await rename(tmp, out);
    } catch (e) {
      await rm(tmp, { force: true });
      throw new UserError('invalid', `Écriture impossible de ${out} : ${(e as Error).message}`);
    }
    const c = manifest.counts;
    console.log(`Archive de « ${slug} » écrite dans ${out} (${(zip.length / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 0 })} Kio, format ${manifest.formatVersion}) : ` +
      `${c.contributions ?? 0} contributions, ${c.meetings ?? 0} réunions, ${c.source_documents ?? 0} documents (${c.files ?? 0} fichiers d’origine), ` +
      `${c.idea_groups ?? 0} idées communes, ${c.syntheses ?? 0} synthèses, ${c.published_syntheses ?? 0} restitutions publiées, ${c.audit_log ?? 0} entrées du journal.`);
    console.log('Attention : l’archive contient les textes d’origine non masqués et les fichiers sources (données de santé) : conservez-la et transmettez-la comme telles.');
  } finally {
    await store.close();
  }
}
