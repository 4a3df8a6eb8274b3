import countries from 'i18n-iso-countries/index.js';
import en from 'i18n-iso-countries/langs/en.json';
import ru from 'i18n-iso-countries/langs/ru.json';
import zh from 'i18n-iso-countries/langs/zh.json';

// Only the languages investigators' files are written in: the library's Node entry would load every locale it has.
for (const locale of [en, ru, zh]) countries.registerLocale(locale);

/**
 * Names people write that the library does not list (its Russian name for CN
 * is only "КНР (Китайская Народная Республика)"), and the European Union,
 * which ISO 3166 reserves as EU and cases use for sanctions.
 */
const EXTRA_NAMES: Record<string, readonly string[]> = {
  CN: ['China', "People's Republic of China", 'PRC', 'P.R.C.', 'PR China', 'Mainland China', 'Китай', 'КНР', 'Китайская Народная Республика', '中国', '中华人民共和国', '中國', '中国大陆'],
  RU: ['Russia', 'Russian Federation', 'Россия', 'РФ', 'Российская Федерация', '俄罗斯', '俄罗斯联邦', '俄國', '俄国'],
  US: ['США', 'Соединённые Штаты', 'Соединенные Штаты Америки', '美国'],
  GB: ['Great Britain', 'Britain', 'England', 'Великобритания', '英国'],
  EU: ['European Union', 'EU', 'Евросоюз', 'Европейский союз', 'ЕС', '欧盟', '欧洲联盟'],
};

/** Codes stored beside the ISO 3166 alpha-2 list: EU is exceptionally reserved by ISO 3166 and used for EU sanctions. */
const RESERVED_CODES = new Set(['EU']);

/** Kosovo's XK is a user-assigned code, not part of ISO 3166; the library lists it all the same. */
const NOT_ISO = new Set(['XK']);

/** A name as compared: case, accents, dots, apostrophes, brackets and spacing do not count. */
function nameForm(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/['’`".()]/g, '')
    .replace(/[\s,\-–]+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

let byName: Map<string, string> | null = null;

function names(): Map<string, string> {
  if (byName) return byName;
  const map = new Map<string, string>();
  const add = (name: string, code: string) => {
    const key = nameForm(name);
    if (key !== '' && !map.has(key)) map.set(key, code);
  };
  for (const lang of ['en', 'ru', 'zh']) {
    for (const [code, all] of Object.entries(countries.getNames(lang, { select: 'all' }))) {
      if (NOT_ISO.has(code)) continue;
      for (const name of all) {
        add(name, code);
        // "КНР (Китайская Народная Республика)": the abbreviation and the name in brackets are each a name.
        const bracketed = /^(.*?)\s*\((.+)\)\s*$/.exec(name);
        if (bracketed) {
          add(bracketed[1] ?? '', code);
          add(bracketed[2] ?? '', code);
        }
      }
    }
  }
  // The added names win over the library's: "China" must never be taken for Taiwan's "Republic of China".
  for (const [code, extra] of Object.entries(EXTRA_NAMES)) for (const name of extra) map.set(nameForm(name), code);
  byName = map;
  return map;
}

/**
 * The ISO 3166 alpha-2 code a country cell stands for: an alpha-2 or alpha-3
 * code, or a country's name in English, Russian or Chinese ("China", "Россия",
 * "中国", "Russian Federation", "КНР"). Null when the text names no country;
 * it is never guessed. Every importer uses this one lookup.
 */
export function countryCode(text: string): string | null {
  const value = text.trim();
  if (value === '') return null;
  if (/^[A-Za-z]{2}$/.test(value)) {
    const code = value.toUpperCase();
    if (RESERVED_CODES.has(code)) return code;
    if (!NOT_ISO.has(code) && countries.isValid(code) && countries.alpha2ToAlpha3(code) !== undefined) return code;
  }
  if (/^[A-Za-z]{3}$/.test(value)) {
    const code = countries.alpha3ToAlpha2(value.toUpperCase());
    if (code !== undefined && !NOT_ISO.has(code)) return code;
  }
  return names().get(nameForm(value)) ?? null;
}
