import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';

/** Page texts of the three-script report: Chinese on page 1, English on page 2, Russian on page 3. */
export const REPORT_PAGES = {
  zh: '哈尔滨工业大学与莫斯科鲍曼国立技术大学于2011年共同创立中俄工科大学联盟。北航与莫斯科航空学院合作开展航空发动机硕士项目。',
  en: 'Beihang University and the Moscow Aviation Institute have run a joint Master’s programme since 2017, aimed at aircraft-engine development. Café owners near the campus were not interviewed.',
  ru: 'Студенты Московского авиационного института учатся вместе с китайскими студентами. МГТУ им. Н. Э. Баумана и Харбинский политехнический институт основали ассоциацию технических университетов.',
} as const;

function page(text: string, lang: string): string {
  return `<section lang="${lang}" style="break-after: page"><h1 style="font-size:20px">${lang.toUpperCase()}</h1><p style="font-size:16px;line-height:1.6">${text}</p></section>`;
}

const FONT_STACK = "'Noto Sans', 'Noto Sans CJK SC', sans-serif";

/** Prints HTML to a PDF with Chromium, as a browser's "Save as PDF" would. */
export async function htmlToPdf(browser: Browser, html: string, file: string): Promise<string> {
  const tab = await browser.newPage();
  try {
    await tab.setContent(`<!doctype html><html><head><meta charset="utf-8"><title>Joint research of defence universities</title></head><body style="font-family:${FONT_STACK};margin:40px">${html}</body></html>`);
    writeFileSync(file, await tab.pdf({ format: 'A4', printBackground: true }));
  } finally {
    await tab.close();
  }
  return file;
}

/** A small PNG made by the browser. */
export async function makePng(browser: Browser, file: string): Promise<string> {
  const tab = await browser.newPage({ viewport: { width: 120, height: 60 } });
  try {
    await tab.setContent('<body style="margin:0;background:#2458b3"></body>');
    writeFileSync(file, await tab.screenshot({ type: 'png' }));
  } finally {
    await tab.close();
  }
  return file;
}

export interface EvidenceFiles {
  report: string;
  scan: string;
  html: string;
  mhtml: string;
  text: string;
  markdown: string;
  wrongEncoding: string;
  png: string;
  pngNamedPdf: string;
  corruptPdf: string;
  binary: string;
}

/** Writes one file of every kind the evidence feature must handle into a folder. */
export async function makeEvidenceFiles(browser: Browser, dir: string): Promise<EvidenceFiles> {
  const at = (name: string) => path.join(dir, name);
  const report = await htmlToPdf(browser, page(REPORT_PAGES.zh, 'zh') + page(REPORT_PAGES.en, 'en') + page(REPORT_PAGES.ru, 'ru'), at('defence-universities.pdf'));
  const png = await makePng(browser, at('diagram.png'));
  const pngBytes = (await import('node:fs')).readFileSync(png);
  // A "scan": a PDF whose only content is a picture, so it has no text layer.
  const scan = await htmlToPdf(browser, `<img alt="" src="data:image/png;base64,${pngBytes.toString('base64')}" style="width:400px">`, at('scan.pdf'));
  const html = at('saved-page.html');
  writeFileSync(
    html,
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Harbin Institute of Technology and Bauman</title><style>.secret { color: red } body::after { content: "stylesheet-only" }</style>
<script>window.evilMarker = "script-only-text"; fetch("https://example.com/beacon");</script></head>
<body><h1>HIT &amp; Bauman</h1><p onclick="alert(1)">Vladimir Putin visited 哈尔滨工业大学 in 2024.</p><noscript>noscript-only-text</noscript><p>Ассоциация технических университетов России и Китая.</p><img src="https://example.com/tracker.gif"></body></html>`,
  );
  const mhtml = at('saved-page.mhtml');
  writeFileSync(
    mhtml,
    [
      'From: <Saved by Blink>',
      'Snapshot-Content-Location: https://example.edu/spbpu',
      'Subject: SPbPU joint programme',
      'MIME-Version: 1.0',
      'Content-Type: multipart/related;',
      '\ttype="text/html";',
      '\tboundary="----MultipartBoundary--abc123----"',
      '',
      '',
      '------MultipartBoundary--abc123----',
      'Content-Type: text/html',
      'Content-ID: <frame-1@mhtml.blink>',
      'Content-Transfer-Encoding: quoted-printable',
      'Content-Location: https://example.edu/spbpu',
      '',
      '<html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=3DUTF-8"><title>SPbPU</title></head><body><p>Xi=E2=80=99an Technological University and Peter the Great St. Petersburg Polytechnic University set up a joint training programme in 2023.</p><script>var hidden =3D "mhtml-script-text";</script></body></html>',
      '',
      '------MultipartBoundary--abc123------',
      '',
    ].join('\r\n'),
  );
  const text = at('notes.txt');
  writeFileSync(text, 'Analyst notes\nSpecial Technology Center (Специальный технологический центр) developed the Orlan-10 UAV.\n西安工业大学 runs a joint programme with SPbPU.\n');
  const markdown = at('summary.md');
  writeFileSync(markdown, '# Summary\n\n- **Skoltech** signed an agreement with HIT in 2024.\n');
  const wrongEncoding = at('windows-1251.txt');
  // "Бауман" in windows-1251: not valid UTF-8.
  writeFileSync(wrongEncoding, Buffer.from([0xc1, 0xe0, 0xf3, 0xec, 0xe0, 0xed, 0x20, 0x31, 0x38, 0x33, 0x30]));
  const pngNamedPdf = at('not-really.pdf');
  writeFileSync(pngNamedPdf, pngBytes);
  const corruptPdf = at('corrupt.pdf');
  writeFileSync(corruptPdf, Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog'), randomBytes(2048)]));
  const binary = at('capture.bin');
  writeFileSync(binary, Buffer.concat([Buffer.from([0, 1, 2, 3, 0xff]), randomBytes(4096)]));
  return { report, scan, html, mhtml, text, markdown, wrongEncoding, png, pngNamedPdf, corruptPdf, binary };
}
