import { inflateSync } from 'node:zlib';

/*
 * What a PDF from pdfkit says, without a PDF library: its streams inflated with zlib, the font's
 * ToUnicode map read back, and the glyph codes of every text operator turned into the characters they
 * draw. Enough for tests to check that a document holds a name, a number and a total — in Chinese too,
 * which an embedded font writes as glyph ids, not as text.
 */

export type PdfContents = {
  /** The file starts as a PDF does. */
  header: string;
  pages: number;
  /**
   * The text drawn, in the order drawn, with every run of white space (a wrapped line's break too) as
   * one space: what a reader sees, whatever width the text was wrapped at.
   */
  text: string;
  images: { width: number; height: number }[];
};

type Stream = { object: number; dict: string; data: Buffer };

function streamsOf(pdf: Buffer): Stream[] {
  const out: Stream[] = [];
  let from = 0;
  for (;;) {
    const start = pdf.indexOf('stream\n', from, 'latin1');
    if (start < 0) break;
    // "endstream\n" also contains "stream\n": skip it.
    if (pdf.toString('latin1', start - 3, start) === 'end') {
      from = start + 7;
      continue;
    }
    const end = pdf.indexOf('\nendstream', start, 'latin1');
    const dictStart = pdf.lastIndexOf('<<', start, 'latin1');
    const dict = pdf.toString('latin1', dictStart, start);
    const header = pdf.toString('latin1', Math.max(0, dictStart - 24), dictStart);
    const object = Number(/(\d+) 0 obj\s*$/.exec(header)?.[1] ?? -1);
    let data = pdf.subarray(start + 7, end);
    if (dict.includes('/FlateDecode')) data = inflateSync(data);
    out.push({ object, dict, data });
    from = end + 10;
  }
  return out;
}

function toUnicodeMap(streams: Stream[]): Map<number, string> {
  const map = new Map<number, string>();
  for (const { data } of streams) {
    const text = data.toString('latin1');
    if (!text.includes('beginbfrange')) continue;
    for (const m of text.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
      const start = parseInt(m[1] ?? '0', 16);
      const entries = [...(m[3] ?? '').matchAll(/<([0-9a-f ]+)>/gi)].map((e) =>
        String.fromCharCode(...(e[1] ?? '').split(' ').map((h) => parseInt(h, 16))),
      );
      entries.forEach((ch, i) => map.set(start + i, ch));
    }
  }
  return map;
}

export function pdfContents(pdf: Buffer): PdfContents {
  const raw = pdf.toString('latin1');
  const streams = streamsOf(pdf);
  const cmap = toUnicodeMap(streams);
  const lines: string[] = [];
  for (const { data } of streams) {
    const content = data.toString('latin1');
    for (const op of content.matchAll(/\[([^\]]*)\] TJ/g)) {
      let line = '';
      for (const hex of (op[1] ?? '').matchAll(/<([0-9a-f]+)>/gi)) {
        const codes = hex[1] ?? '';
        for (let i = 0; i < codes.length; i += 4) {
          line += cmap.get(parseInt(codes.slice(i, i + 4), 16)) ?? '\uFFFD';
        }
      }
      lines.push(line);
    }
  }
  // An image's transparency is an image too (its /SMask): only the images drawn count.
  const masks = new Set(
    streams.flatMap((s) => [...s.dict.matchAll(/\/SMask (\d+) 0 R/g)].map((m) => Number(m[1]))),
  );
  const images = streams
    .filter((s) => s.dict.includes('/Subtype /Image') && !masks.has(s.object))
    .map((s) => ({
      width: Number(/\/Width (\d+)/.exec(s.dict)?.[1] ?? 0),
      height: Number(/\/Height (\d+)/.exec(s.dict)?.[1] ?? 0),
    }));
  return {
    header: raw.slice(0, 8),
    pages: [...raw.matchAll(/\/Type \/Page\b(?!s)/g)].length,
    text: lines.join('\n').replace(/\s+/g, ' '),
    images,
  };
}
