import anyAscii from 'any-ascii';

/**
 * The key two names share when an investigator would call them the same:
 * case, accents, punctuation, spacing and script do not count. Every script is
 * transliterated to Latin (Cyrillic as BGN/PCGN, Chinese as toneless pinyin),
 * then the spellings that Russian romanisation systems disagree on are folded
 * together, so "Московский авиационный институт", "Moskovskiy aviatsionnyy
 * institut" and "Moskovskij aviacionnyj institut" share one key.
 */
export function nameKey(name: string): string {
  // Plain ASCII is its own NFKC form and its own transliteration: most names of a big import skip both.
  const latin = (ASCII.test(name) ? name : anyAscii(name.normalize('NFKC'))).toLowerCase();
  return latin
    .replace(/['`"’ʹʺ]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '')
    .map(foldWord)
    .join('');
}

const ASCII = /^[ -~]*$/;
/** Words without any of the spellings foldWord changes come back as they are. */
const FOLDED_SPELLINGS = /[jy]|shch|kh|ts|ii/;

function foldWord(word: string): string {
  if (!FOLDED_SPELLINGS.test(word)) return word;
  return word
    .replace(/j/g, 'y')
    .replace(/shch/g, 'sh')
    .replace(/kh/g, 'h')
    .replace(/ts/g, 'c')
    .replace(/(?:iy|yy|ii|yi)$/, 'y')
    .replace(/(?:iy|yy)(?=[aeiou])/g, 'y')
    .replace(/ye/g, 'e');
}
