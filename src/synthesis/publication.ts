/**
 * What holds a restitution back from publication, said in French for the people who fix it: texts still to
 * write (placeholders) and checks that fail, each with the section it is in. The internal codes (rule keys,
 * paths, contribution ids) stay in `path` and `detail` for tools; `section` and `message` are for screens.
 */
import { UserError } from '../domain/errors.ts';
import type { Store } from '../store/store.ts';
import type { Section, SynthesisDocument } from './model.ts';
import { verifySynthesis, type VerificationResult } from './verify.ts';
import { describeFailures, type PublicationProblem } from './failures.ts';

export { describeFailures, type PublicationProblem } from './failures.ts';
import { plural } from '../text/french.ts';

/** Editorial texts left empty (optional ones aside), in document order. */
export function placeholderProblems(doc: SynthesisDocument): PublicationProblem[] {
  const out: PublicationProblem[] = [];
  const walk = (sections: Section[], trail: string[]) => {
    for (const s of sections) {
      const here = [...trail, s.title];
      for (const b of s.blocks) {
        if (b.type !== 'editorial' || b.optional || b.text.trim() !== '') continue;
        const what = b.placeholder.replace(/^Texte à rédiger\s*(?:\([^)]*\))?\s*:\s*/u, '').replace(/\.$/, '');
        out.push({ code: 'placeholder', section: here.join(' › '), message: `texte à rédiger — ${what}.`, path: b.key });
      }
      walk(s.sections, here);
    }
  };
  walk(doc.sections ?? [], []);
  return out;
}

export class PublicationRefusedError extends UserError {
  constructor(readonly problems: PublicationProblem[]) {
    const shown = problems.slice(0, 30);
    super('conflict', `La restitution ne peut pas être publiée : ${plural(problems.length, 'point', 'points')} à corriger.\n` +
      shown.map((p) => `  – ${p.section} : ${p.message}`).join('\n') +
      (problems.length > shown.length ? `\n  … et ${plural(problems.length - shown.length, 'autre', 'autres')}.` : ''));
    this.name = 'PublicationRefusedError';
  }
}

/** Everything that holds the document back: texts to write, then failed checks (the verification is returned too). */
export async function publicationProblems(store: Store, doc: SynthesisDocument): Promise<{ problems: PublicationProblem[]; verification: VerificationResult }> {
  const verification = await verifySynthesis(store, doc);
  return { problems: [...placeholderProblems(doc), ...describeFailures(doc, verification.failures)], verification };
}
