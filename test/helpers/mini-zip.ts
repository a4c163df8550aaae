import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
  name: string;
  data: Uint8Array | string;
  /** store (0) or deflate (8, default) */
  method?: 0 | 8;
  /** size written in the headers instead of the real one (to make a lying archive) */
  declaredSize?: number;
  /**
   * content given as parts, each repeated `times` (deflate only; `data` is then ignored): a zip bomb
   * of hundreds of Mo built in little time and memory
   */
  parts?: { data: string; times?: number }[];
}

/**
 * Deflates a sequence of repeated parts without building the repetition: each part is compressed
 * once with a full flush (byte-aligned, no back-reference across it), its copies are concatenated,
 * and an empty final block closes the stream.
 */
function deflateParts(parts: { data: string; times?: number }[]): { body: Buffer; crc: number; size: number } {
  const chunks: Buffer[] = [];
  let crc = 0;
  let size = 0;
  for (const p of parts) {
    const raw = Buffer.from(p.data, 'utf8');
    const block = deflateRawSync(raw, { finishFlush: constants.Z_FULL_FLUSH });
    for (let i = 0; i < (p.times ?? 1); i++) { chunks.push(block); crc = crc32(raw, crc); size += raw.length; }
  }
  chunks.push(deflateRawSync(Buffer.alloc(0)));
  return { body: Buffer.concat(chunks), crc, size };
}

/** A minimal ZIP writer for tests (no ZIP64, no data descriptors). */
export function miniZip(files: ZipInput[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const raw = typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : Buffer.from(f.data);
    const parted = f.parts ? deflateParts(f.parts) : undefined;
    const method = parted ? 8 : f.method ?? 8;
    const body = parted?.body ?? (method === 8 ? deflateRawSync(raw) : raw);
    const name = Buffer.from(f.name, 'utf8');
    const size = f.declaredSize ?? parted?.size ?? raw.length;
    const crc = parted?.crc ?? crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(body.length, 18); local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10); central.writeUInt32LE(crc, 16); central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24); central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(files.length, 8); eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cd.length, 12); eocd.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, eocd]));
}
