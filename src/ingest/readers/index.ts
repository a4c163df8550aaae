import { ImportError, MAX_IMPORT_BYTES } from '../types.ts';
import { readDocx } from './docx.ts';
import { readMarkdown } from './markdown.ts';
import { readPdf } from './pdf.ts';
import { readText } from './text.ts';
import type { ReadDocument } from './types.ts';
import { isZip, zipEntries } from './zip-guard.ts';

export type { ReadDocument, TextLine } from './types.ts';
export { readDocx, readMarkdown, readPdf, readText };

const extension = (fileName: string) => /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';

/**
 * Reads any supported document into the reader IR. The content decides first (magic bytes: `%PDF`,
 * a ZIP holding word/document.xml), then the extension (.md/.markdown, .txt and other text).
 */
export async function readDocument(bytes: Uint8Array, fileName: string): Promise<ReadDocument> {
  if (bytes.length === 0) throw new ImportError(`Le fichier « ${fileName} » est vide.`, 'import.empty');
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new ImportError(`Le fichier « ${fileName} » dépasse la taille maximale acceptée (${MAX_IMPORT_BYTES / 1024 / 1024} Mo).`, 'import.too_large');
  }
  const ext = extension(fileName);
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (head.startsWith('%PDF') || (head.includes('%PDF-') && ext === 'pdf')) return readPdf(bytes, fileName);
  if (isZip(bytes)) {
    if (ext === 'xlsx' || ext === 'ods' || ext === 'xlsm') {
      throw new ImportError(`« ${fileName} » est un tableur : utilisez « fabrique import » pour les fichiers tabulaires.`, 'import.tabular');
    }
    const entries = zipEntries(bytes, fileName);
    if (entries.some((e) => e.name === 'word/document.xml')) return readDocx(bytes, fileName);
    if (entries.some((e) => e.name.startsWith('xl/'))) {
      throw new ImportError(`« ${fileName} » est un tableur : utilisez « fabrique import » pour les fichiers tabulaires.`, 'import.tabular');
    }
    throw new ImportError(`Le fichier « ${fileName} » est une archive ZIP qui n’est pas un document Word (.docx).`, 'import.unsupported');
  }
  if (ext === 'pdf') throw new ImportError(`Le fichier « ${fileName} » porte l’extension .pdf mais n’est pas un PDF (en-tête %PDF absent).`, 'import.pdf_corrupt');
  if (ext === 'docx') throw new ImportError(`Le fichier « ${fileName} » porte l’extension .docx mais n’est pas un document Word (ce n’est pas une archive ZIP).`, 'import.zip_invalid');
  if (ext === 'doc' || ext === 'rtf' || ext === 'odt') {
    throw new ImportError(`Le format « .${ext} » n’est pas pris en charge : enregistrez le document en .docx ou en PDF.`, 'import.unsupported');
  }
  if (ext === 'md' || ext === 'markdown') return readMarkdown(bytes, fileName);
  // anything else must be text (readText refuses binary content)
  return readText(bytes, fileName);
}
