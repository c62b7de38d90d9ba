import { readFile } from 'node:fs/promises';
import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import type { DocumentSettings } from '../../domain/documents/settings.js';
import type { TaxBreakdown, TaxSetting } from '../../domain/documents/tax.js';
import type { QuoteState } from '../../domain/paid-service/quote.js';
import type { Language } from '../../domain/policy/schema.js';
import { AppError } from '../errors.js';
import type { QuoteLineView } from '../paid-service/quotes.js';
import { formatMoney } from '../service-messages.js';
import { documentWords, type DocumentWords } from './words.js';

/*
 * The printable documents, drawn with pdfkit in one font that has both the Latin and the Chinese glyphs
 * (Noto Sans CJK by default): a customer's Chinese name on an English invoice prints as itself, never as
 * boxes. Without the font a document is refused (503 DOCUMENT_FONT_MISSING) rather than printed wrong.
 */

export type DocumentFont = { path: string; name: string };

export const FONT_MISSING = 'DOCUMENT_FONT_MISSING';

/** The font file, read once per process (a collection is ~20 MB; each document embeds a subset). */
const fontFiles = new Map<string, Promise<Buffer>>();

async function fontFile(font: DocumentFont): Promise<Buffer> {
  let file = fontFiles.get(font.path);
  if (!file) {
    file = readFile(font.path);
    fontFiles.set(font.path, file);
    // A missing file is asked for again next time: an operator may install it without a restart.
    file.catch(() => fontFiles.delete(font.path));
  }
  try {
    return await file;
  } catch (err) {
    throw new AppError(
      'unavailable',
      FONT_MISSING,
      `the documents' font ${font.path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}): install fonts-noto-cjk or set DOCUMENT_FONT_PATH`,
    );
  }
}

/** A glyph each language needs: 发 (U+53D1) for Chinese, A for English. */
const PROBE_CODE_POINTS = [0x41, 0x53d1];

type FontkitFace = { hasGlyphForCodePoint?: (codePoint: number) => boolean };

/** Faces already parsed and checked, by file and name. */
const faces = new Map<string, FontkitFace>();

/** A document in the font, or a clear refusal when the font is missing, wrong, or has no Chinese. */
async function newDocument(
  font: DocumentFont,
  options: PDFKit.PDFDocumentOptions,
): Promise<{ doc: PDFKit.PDFDocument; done: Promise<Buffer> }> {
  const file = await fontFile(font);
  const doc = new PDFDocument({ ...options, bufferPages: true, compress: true });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on('error', reject);
  });
  const key = `${font.path}\u0000${font.name}`;
  const parsed = faces.get(key);
  try {
    // The face parsed once is drawn from again (each document embeds its own subset of it): parsing
    // the collection is most of the time a document takes.
    doc.registerFont('document', (parsed ?? file) as Buffer, font.name);
    doc.font('document');
  } catch (err) {
    throw new AppError(
      'unavailable',
      FONT_MISSING,
      `the documents' font ${font.path} has no face ${font.name} (${(err as Error).message}): set DOCUMENT_FONT_NAME`,
    );
  }
  if (parsed) return { doc, done };
  // pdfkit keeps the fontkit face it embeds; a face without Chinese glyphs would print boxes.
  const face = (doc as unknown as { _font?: { font?: FontkitFace } })._font?.font;
  if (face?.hasGlyphForCodePoint && !PROBE_CODE_POINTS.every((cp) => face.hasGlyphForCodePoint?.(cp))) {
    throw new AppError(
      'unavailable',
      FONT_MISSING,
      `the documents' font ${font.name} in ${font.path} has no Chinese glyphs: use Noto Sans CJK (fonts-noto-cjk)`,
    );
  }
  if (face) faces.set(key, face);
  return { doc, done };
}

const GREY = '#555555';
const RULE = '#999999';
const INK = '#111111';

/** A footer on every page: the day printed and the page count, in the reader's words. */
function footers(doc: PDFKit.PDFDocument, w: DocumentWords, printedOn: string, reference: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { margins } = doc.page;
    const bottom = margins.bottom;
    // Writing inside the bottom margin must not start another page.
    doc.page.margins.bottom = 0;
    doc
      .fontSize(8)
      .fillColor(GREY)
      .text(
        `${reference} · ${w.printed(printedOn)} · ${w.page(i - range.start + 1, range.count)}`,
        margins.left,
        doc.page.height - bottom + 16,
        { width: doc.page.width - margins.left - margins.right, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
}

export type QuoteDocumentInput = {
  kind: 'quote' | 'invoice';
  lang: Language;
  maker: DocumentSettings['maker'];
  tax: TaxSetting;
  breakdown: TaxBreakdown;
  currency: string;
  quote: {
    id: string;
    state: QuoteState;
    lines: QuoteLineView[];
    maintenanceNumber: string | null;
    invoiceNumber: string | null;
    /** The store's calendar day the quote was sent (or made), or the invoice issued. */
    day: string;
  };
  customer: { name: string; email: string | null; phone: string | null };
  printedOn: string;
};

/** 1300 basis points → "13%", 650 → "6.5%": exact, from integers. */
function percent(bps: number): string {
  const whole = Math.floor(bps / 100);
  const rest = bps % 100;
  return rest === 0 ? `${whole}%` : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}%`;
}

/** A quote or an invoice on A4: the maker, the customer, the lines, tax and totals, payment status. */
export async function renderQuoteDocument(font: DocumentFont, input: QuoteDocumentInput): Promise<Buffer> {
  const w = documentWords[input.lang];
  const { quote, maker, customer } = input;
  const title = input.kind === 'invoice' ? w.invoice.title : w.quote.title;
  const reference = input.kind === 'invoice' ? (quote.invoiceNumber ?? '') : `${title} ${quote.id}`;
  const { doc, done } = await newDocument(font, {
    size: 'A4',
    margin: 50,
    info: {
      Title: input.kind === 'invoice' ? `${title} ${reference}` : reference,
      Author: maker.name[input.lang],
    },
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const money = (amountMinor: number) => formatMoney({ amountMinor, currency: input.currency });

  // The maker, on the left.
  doc.fillColor(INK).fontSize(15).text(maker.name[input.lang], left, 50, { width: 270 });
  doc.fontSize(9).fillColor(GREY);
  const makerLines = [
    maker.address[input.lang],
    maker.phone && `${w.maker.phone}: ${maker.phone}`,
    maker.email && `${w.maker.email}: ${maker.email}`,
    maker.taxId && `${w.maker.taxId}: ${maker.taxId}`,
  ].filter((l): l is string => Boolean(l));
  for (const line of makerLines) doc.text(line, { width: 270 });
  const makerBottom = doc.y;

  // The document's title and numbers, on the right.
  const rightX = left + 300;
  const rightWidth = width - 300;
  doc.fillColor(INK).fontSize(20).text(title, rightX, 50, { width: rightWidth, align: 'right' });
  doc.moveDown(0.3);
  const facts: [string, string][] =
    input.kind === 'invoice'
      ? [
          [w.invoice.number, quote.invoiceNumber ?? ''],
          [w.invoice.date, quote.day],
        ]
      : [
          [w.quote.reference, quote.id],
          [w.quote.date, quote.day],
        ];
  if (quote.maintenanceNumber) facts.push([w.maintenanceNumber, quote.maintenanceNumber]);
  for (const [label, value] of facts) {
    doc.fontSize(8).fillColor(GREY).text(label, rightX, doc.y, { width: rightWidth, align: 'right' });
    doc.fontSize(10).fillColor(INK).text(value, rightX, doc.y, { width: rightWidth, align: 'right' });
  }
  let y = Math.max(makerBottom, doc.y) + 24;

  // The customer.
  doc.fontSize(8).fillColor(GREY).text(w.customer, left, y);
  doc.fontSize(11).fillColor(INK).text(customer.name, left, doc.y, { width: 300 });
  doc.fontSize(9).fillColor(GREY);
  for (const line of [customer.phone, customer.email]) if (line) doc.text(line, { width: 300 });
  y = doc.y + 20;

  // The lines, a page at a time: a header row on each page the table reaches.
  const cols = [
    { key: 'kind', label: w.lines.kind, width: 72, align: 'left' as const },
    {
      key: 'description',
      label: w.lines.description,
      width: width - 72 - 46 - 90 - 90,
      align: 'left' as const,
    },
    { key: 'quantity', label: w.lines.quantity, width: 46, align: 'right' as const },
    { key: 'unitPrice', label: w.lines.unitPrice, width: 90, align: 'right' as const },
    { key: 'amount', label: w.lines.amount, width: 90, align: 'right' as const },
  ];
  const bottomLimit = () => doc.page.height - doc.page.margins.bottom - 10;
  const headerRow = (at: number): number => {
    let x = left;
    doc.fontSize(8).fillColor(GREY);
    for (const c of cols) {
      doc.text(c.label, x + 2, at, { width: c.width - 4, align: c.align });
      x += c.width;
    }
    const below = at + 14;
    doc
      .moveTo(left, below)
      .lineTo(left + width, below)
      .lineWidth(0.7)
      .strokeColor(RULE)
      .stroke();
    return below + 5;
  };
  y = headerRow(y);
  doc.fontSize(9.5).fillColor(INK);
  for (const line of quote.lines) {
    const cells: Record<string, string> = {
      kind: line.kind === 'part' ? w.lines.part : w.lines.labour,
      description: line.description,
      quantity: String(line.quantity),
      unitPrice: formatMoney(line.unitPrice),
      amount: formatMoney(line.lineTotal),
    };
    doc.fontSize(9.5);
    const height = Math.max(
      ...cols.map((c) => doc.heightOfString(cells[c.key] ?? '', { width: c.width - 4 })),
    );
    if (y + height > bottomLimit()) {
      doc.addPage();
      y = headerRow(doc.page.margins.top);
      doc.fontSize(9.5);
    }
    let x = left;
    doc.fillColor(INK);
    for (const c of cols) {
      doc.text(cells[c.key] ?? '', x + 2, y, { width: c.width - 4, align: c.align });
      x += c.width;
    }
    y += height + 6;
  }
  doc
    .moveTo(left, y)
    .lineTo(left + width, y)
    .lineWidth(0.7)
    .strokeColor(RULE)
    .stroke();
  y += 8;

  // Tax and totals, and what the customer owes.
  const { breakdown, tax } = input;
  const totals: [string, string, number][] = [[w.totals.subtotal, money(breakdown.subtotalMinor), 9.5]];
  if (tax.rateBasisPoints > 0) {
    totals.push([
      w.totals.tax(percent(tax.rateBasisPoints), tax.pricesIncludeTax),
      money(breakdown.taxMinor),
      9.5,
    ]);
  }
  totals.push([w.totals.total, money(breakdown.totalMinor), 12]);
  if (y + 140 > bottomLimit()) {
    doc.addPage();
    y = doc.page.margins.top;
  }
  for (const [label, value, size] of totals) {
    doc.fontSize(size).fillColor(INK);
    doc.text(label, left, y, { width: width - 130, align: 'right' });
    doc.text(value, left + width - 125, y, { width: 125, align: 'right' });
    y = doc.y + 4;
  }
  y += 14;
  const status =
    input.kind === 'invoice'
      ? w.payment.invoiceDue
      : quote.state === 'invoiced'
        ? w.payment.quote.invoiced(quote.invoiceNumber ?? '')
        : w.payment.quote[quote.state];
  doc.rect(left, y, width, 36).lineWidth(0.7).strokeColor(RULE).stroke();
  doc
    .fontSize(8)
    .fillColor(GREY)
    .text(w.payment.title, left + 10, y + 6, { width: width - 20 });
  doc
    .fontSize(10)
    .fillColor(INK)
    .text(status, left + 10, doc.y + 1, { width: width - 20 });
  y += 48;
  doc.fontSize(7.5).fillColor(GREY).text(w.validity, left, y, { width });

  footers(doc, w, input.printedOn, reference);
  doc.end();
  return done;
}

export type ReturnLabelInput = {
  lang: Language;
  maintenanceNumber: string;
  center: { name: string; address: string; city: string; phone: string };
  /** The customer, as staff and the customer see them; null: left to fill in by hand (a guest's label). */
  sender: { name: string; phone: string | null; city: string | null } | null;
};

/** A 4 × 6 inch label (101.6 × 152.4 mm), the size courier label printers take. */
const LABEL_SIZE: [number, number] = [288, 432];

/** The maintenance number as a Code 128 barcode, a PNG to embed. */
async function code128(text: string): Promise<Buffer> {
  return bwipjs.toBuffer({
    bcid: 'code128',
    text,
    scale: 3,
    height: 14,
    includetext: false,
    paddingwidth: 4,
    // Opaque: a PNG with an alpha channel would embed a second image, its mask.
    backgroundcolor: 'FFFFFF',
  });
}

/** The label a customer sticks on the parcel of parts they mail in: the center's address and the number. */
export async function renderReturnLabel(font: DocumentFont, input: ReturnLabelInput): Promise<Buffer> {
  const w = documentWords[input.lang].label;
  const barcode = await code128(input.maintenanceNumber);
  const { doc, done } = await newDocument(font, {
    size: LABEL_SIZE,
    margin: 14,
    info: { Title: `${w.title} ${input.maintenanceNumber}` },
  });
  const left = 14;
  const width = LABEL_SIZE[0] - 28;
  const rule = (at: number) =>
    doc
      .moveTo(left, at)
      .lineTo(left + width, at)
      .lineWidth(1)
      .strokeColor(INK)
      .stroke();

  doc.fontSize(8).fillColor(GREY).text(w.title, left, 14, { width });
  rule(doc.y + 3);

  // From: the customer, or lines to write on.
  doc
    .fontSize(7.5)
    .fillColor(GREY)
    .text(w.from, left, doc.y + 8, { width });
  doc.fillColor(INK);
  if (input.sender) {
    doc.fontSize(10).text(input.sender.name, { width });
    doc.fontSize(9);
    for (const line of [input.sender.phone, input.sender.city]) if (line) doc.text(line, { width });
    doc.moveDown(0.2);
    doc.fontSize(7.5).fillColor(GREY).text(w.fillIn, { width });
    const at = doc.y + 14;
    doc
      .moveTo(left, at)
      .lineTo(left + width, at)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.y = at + 4;
  } else {
    doc.fontSize(7.5).fillColor(GREY).text(w.fillIn, { width });
    let at = doc.y + 14;
    for (let i = 0; i < 3; i++) {
      doc
        .moveTo(left, at)
        .lineTo(left + width, at)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
      at += 16;
    }
    doc.y = at - 10;
  }
  rule(doc.y + 6);

  // To: the service center or maintenance office.
  doc
    .fontSize(7.5)
    .fillColor(GREY)
    .text(w.to, left, doc.y + 12, { width });
  doc.fillColor(INK).fontSize(13).text(input.center.name, { width });
  doc.fontSize(9).text(w.attention, { width });
  doc.fontSize(10).text(input.center.address, { width });
  doc.text(`${input.center.city} · ${input.center.phone}`, { width });
  rule(doc.y + 6);

  // The maintenance number, read by people and by scanners.
  const numberLabel = documentWords[input.lang].maintenanceNumber;
  doc
    .fontSize(7.5)
    .fillColor(GREY)
    .text(numberLabel, left, doc.y + 12, { width, align: 'center' });
  doc.fontSize(18).fillColor(INK).text(input.maintenanceNumber, { width, align: 'center' });
  const barcodeTop = doc.y + 4;
  doc.image(barcode, left + 10, barcodeTop, { fit: [width - 20, 64], align: 'center' });
  doc.y = barcodeTop + 70;

  doc.fontSize(7).fillColor(GREY).text(w.instructions, left, doc.y, { width, align: 'center' });
  doc.end();
  return done;
}
