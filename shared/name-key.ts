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
  const latin = anyAscii(name.normalize('NFKC')).toLowerCase();
  return latin
    .replace(/['`"’ʹʺ]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '')
    .map(foldWord)
    .join('');
}

function foldWord(word: string): string {
  return word
    .replace(/j/g, 'y')
    .replace(/shch/g, 'sh')
    .replace(/kh/g, 'h')
    .replace(/ts/g, 'c')
    .replace(/(?:iy|yy|ii|yi)$/, 'y')
    .replace(/(?:iy|yy)(?=[aeiou])/g, 'y')
    .replace(/ye/g, 'e');
}
