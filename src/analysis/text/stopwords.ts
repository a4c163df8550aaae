import { foldAccents } from '../../text/french.ts';

/**
 * Fabrique's French stopword list (written for the project). Function words, auxiliaries and their
 * common forms, elided forms, and a few discourse fillers. Stored accent-folded and lowercase, so
 * `isStopword` is accent-insensitive ("à" = "a", "déjà" = "deja").
 * Deliberately not included: domain words ("santé", "soins", "médecin") and cue words used by the kind
 * classifier ("manque", "faut", "faudrait"), which compute their own features on raw tokens anyway.
 */
const WORDS = `
a à â au aux avec ce ces cet cette ceci cela ça celui celle ceux celles chez dans de des du en entre et
ou où par pour sur sous vers le la les l' un une d' de du des lui leur leurs son sa ses mon ma mes ton ta
tes notre nos votre vos il ils elle elles on nous vous je j' tu me m' te t' se s' moi toi soi eux y
qui que qu' quoi dont lequel laquelle lesquels lesquelles auquel auxquels auxquelles duquel desquels desquelles
ne n' pas plus ni non si sans mais donc or car comme quand lorsque lorsqu' puisque puisqu' jusque jusqu' quoique quoiqu'
c' ceci celà est sont été être étant suis es sommes êtes était étaient étais étions étiez sera seront serait
seraient serai seras serons serez sois soit soyons soyez soient fut furent fût
ai as avons avez ont avait avaient avais avions aviez aura auront aurait auraient aurai auras aurons aurez
eu eue eus eut ayant aie aies ait ayons ayez aient
fait faire fais font
tout tous toute toutes autre autres même mêmes tel telle tels telles quel quelle quels quelles
très trop peu aussi ainsi alors encore déjà bien puis là ici ci-dessus ci-dessous etc
dont lors afin selon via parmi pendant depuis avant après contre malgré chaque plusieurs certains certaines
leurs ceux-ci celles-ci celui-ci celle-ci
cas lorsqu quelque quelques
o e i u x ex
`;

export const FRENCH_STOPWORDS: ReadonlySet<string> = new Set(
  WORDS.split(/\s+/).filter((w) => w.length > 0).map((w) => foldAccents(w.toLowerCase())),
);

/** True when the (lowercased or not) token is a stopword, ignoring accents. */
export function isStopword(token: string): boolean {
  return FRENCH_STOPWORDS.has(foldAccents(token.toLowerCase()));
}
