/**
 * A tiny PDF writer for tests: Helvetica text at given positions, one content stream per page,
 * a correct xref table. Characters are written in WinAnsiEncoding (French accents, ’, «, »).
 */
export interface PdfText { x: number; y: number; text: string; size?: number }
export interface MiniPdfOptions {
  /** add an /Encrypt dictionary (standard handler, unknown password) to the trailer */
  encrypt?: boolean;
  /** page size in PDF units (A4 by default); pass an empty page to mimic a scanned page */
  width?: number;
  height?: number;
}

const WIN_ANSI_EXTRA: Record<string, number> = { '’': 0x92, '‘': 0x91, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, '…': 0x85, 'œ': 0x9c, 'Œ': 0x8c, '€': 0x80 };

function pdfString(s: string): string {
  let out = '(';
  for (const ch of s) {
    let code = WIN_ANSI_EXTRA[ch] ?? ch.codePointAt(0)!;
    if (code > 0xff) code = 0x3f; // '?'
    if (ch === '(' || ch === ')' || ch === '\\') out += '\\' + ch;
    else if (code < 0x20 || code > 0x7e) out += '\\' + code.toString(8).padStart(3, '0');
    else out += ch;
  }
  return out + ')';
}

export function miniPdf(pages: PdfText[][], opts: MiniPdfOptions = {}): Uint8Array {
  const w = opts.width ?? 595;
  const h = opts.height ?? 842;
  const objects: string[] = [];
  // 1: catalog, 2: pages, 3: font, then per page: page object + content stream
  const kids: number[] = [];
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  pages.forEach((items, i) => {
    const pageNo = 4 + i * 2;
    kids.push(pageNo);
    const ops = items.map((t) => `BT /F1 ${t.size ?? 11} Tf 1 0 0 1 ${t.x} ${t.y} Tm ${pdfString(t.text)} Tj ET`).join('\n');
    objects[pageNo] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageNo + 1} 0 R >>`;
    objects[pageNo + 1] = `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`;
  });
  objects[2] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let encryptRef = '';
  if (opts.encrypt) {
    const n = objects.length;
    const pad = '<' + 'ab'.repeat(32) + '>';
    objects[n] = `<< /Filter /Standard /V 1 /R 2 /Length 40 /O ${pad} /U ${pad} /P -44 >>`;
    encryptRef = ` /Encrypt ${n} 0 R /ID [<${'0'.repeat(32)}> <${'0'.repeat(32)}>]`;
  }
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let i = 1; i < objects.length; i++) {
    offsets[i] = Buffer.byteLength(body, 'latin1');
    body += `${i} 0 obj\n${objects[i]}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let i = 1; i < objects.length; i++) body += `${String(offsets[i]).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R${encryptRef} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}
