/**
 * Throughput of the text core on synthetic short French documents (no corpus text).
 *   node --import tsx bench/text-tfidf.ts [N=200000]
 */
import { TfidfVectorizer } from '../src/analysis/text/index.ts';

const N = Number(process.argv[2] ?? 200_000);
const words = ['médecin', 'traitant', 'urgences', 'nuit', 'garde', 'installation', 'jeunes', 'internes', 'logement', 'prévention',
  'école', 'dépistage', 'maison', 'santé', 'CPTS', 'SAS', 'transport', 'pharmacie', 'délais', 'rendez-vous', "l'accès", "d'un", 'les', 'des'];
let seed = 1;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
function* docs(): Generator<string> {
  seed = 1;
  for (let i = 0; i < N; i++) {
    const n = 6 + Math.floor(rnd() * 14);
    const w: string[] = [];
    for (let j = 0; j < n; j++) w.push(words[Math.floor(rnd() * words.length)] as string, `mot${Math.floor(rnd() * 50_000)}`);
    yield w.join(' ');
  }
}
const t0 = performance.now();
const v = new TfidfVectorizer({ analyzer: { bigrams: true }, minDf: 2 }).fit(docs());
const t1 = performance.now();
let nnz = 0;
for (const d of docs()) nnz += v.transform(d).indices.length;
const t2 = performance.now();
const mem = process.memoryUsage();
console.log(`${N} docs: fit ${((t1 - t0) / 1000).toFixed(1)} s, transform ${((t2 - t1) / 1000).toFixed(1)} s, vocabulary ${v.vocabulary.size}, nnz ${nnz}, rss ${(mem.rss / 2 ** 20).toFixed(0)} MB`);
