/**
 * The Snowball stemmer for Russian (Porter's algorithm), so that a search for
 * "авиационный" also finds "авиационного" and "Бауман" finds "Баумана". Works
 * on lower-case text; ё is treated as е.
 */

const VOWELS = /[аеиоуыэюя]/;
const PERFECTIVE_GERUND_1 = /(?<=[ая])(в|вши|вшись)$/;
const PERFECTIVE_GERUND_2 = /(ив|ивши|ившись|ыв|ывши|ывшись)$/;
const REFLEXIVE = /(ся|сь)$/;
const ADJECTIVE = /(ее|ие|ые|ое|ими|ыми|ей|ий|ый|ой|ем|им|ым|ом|его|ого|ему|ому|их|ых|ую|юю|ая|яя|ою|ею)$/;
const PARTICIPLE_1 = /(?<=[ая])(ем|нн|вш|ющ|щ)$/;
const PARTICIPLE_2 = /(ивш|ывш|ующ)$/;
const VERB_1 = /(?<=[ая])(ла|на|ете|йте|ли|й|л|ем|н|ло|но|ет|ют|ны|ть|ешь|нно)$/;
const VERB_2 = /(ила|ыла|ена|ейте|уйте|ите|или|ыли|ей|уй|ил|ыл|им|ым|ен|ило|ыло|ено|ят|ует|уют|ит|ыт|ены|ить|ыть|ишь|ую|ю)$/;
const NOUN = /(а|ев|ов|ие|ье|е|иями|ями|ами|еи|ии|и|ией|ей|ой|ий|й|иям|ям|ием|ем|ам|ом|о|у|ах|иях|ях|ы|ь|ию|ью|ю|ия|ья|я)$/;
const DERIVATIONAL = /(ост|ость)$/;
const SUPERLATIVE = /(ейше|ейш)$/;

/** Start of RV: after the first vowel. R2 as in the Snowball definition. */
function regions(word: string): { rv: number; r2: number } {
  const firstVowel = word.search(VOWELS);
  const rv = firstVowel < 0 ? word.length : firstVowel + 1;
  const r = (from: number): number => {
    for (let i = from + 1; i < word.length; i += 1) {
      if (!VOWELS.test(word[i] as string) && VOWELS.test(word[i - 1] as string)) return i + 1;
    }
    return word.length;
  };
  return { rv, r2: r(r(0)) };
}

function strip(rv: string, pattern: RegExp): string | null {
  const match = pattern.exec(rv);
  return match ? rv.slice(0, match.index) : null;
}

export function stemRussian(input: string): string {
  const word = input.toLowerCase().replace(/ё/g, 'е');
  if (!/^[а-я]+$/.test(word)) return word;
  const { rv: rvStart, r2 } = regions(word);
  const prefix = word.slice(0, rvStart);
  let rv = word.slice(rvStart);

  // Step 1.
  const gerund = strip(rv, PERFECTIVE_GERUND_1) ?? strip(rv, PERFECTIVE_GERUND_2);
  if (gerund !== null) rv = gerund;
  else {
    rv = strip(rv, REFLEXIVE) ?? rv;
    const adjective = strip(rv, ADJECTIVE);
    if (adjective !== null) {
      rv = strip(adjective, PARTICIPLE_1) ?? strip(adjective, PARTICIPLE_2) ?? adjective;
    } else {
      const verb = strip(rv, VERB_1) ?? strip(rv, VERB_2);
      if (verb !== null) rv = verb;
      else rv = strip(rv, NOUN) ?? rv;
    }
  }
  // Step 2.
  if (rv.endsWith('и')) rv = rv.slice(0, -1);
  // Step 3: derivational suffix inside R2.
  const derivational = DERIVATIONAL.exec(rv);
  if (derivational && rvStart + derivational.index >= r2) rv = rv.slice(0, derivational.index);
  // Step 4.
  if (rv.endsWith('нн')) rv = rv.slice(0, -1);
  else {
    const superlative = strip(rv, SUPERLATIVE);
    if (superlative !== null) {
      rv = superlative;
      if (rv.endsWith('нн')) rv = rv.slice(0, -1);
    } else if (rv.endsWith('ь')) rv = rv.slice(0, -1);
  }
  return prefix + rv;
}
