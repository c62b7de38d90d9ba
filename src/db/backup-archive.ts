import { createReadStream, createWriteStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';

/*
 * A backup is one plain POSIX tar (ustar) file, so an operator can look inside with `tar tvf` and take
 * the database's own dump out with `tar xf`: `manifest.json` first, then the payload. Only regular files,
 * names under 100 bytes, no compression at this level (the payloads are compressed already).
 */

const BLOCK = 512;

export interface ArchiveMember {
  name: string;
  /** The bytes, or a file whose bytes are copied (streamed, never read whole). */
  content: Uint8Array | { path: string; size: number };
}

function header(name: string, size: number, mtime: Date): Buffer {
  const block = Buffer.alloc(BLOCK, 0);
  if (Buffer.byteLength(name) > 99) throw new Error(`archive member name too long: ${name}`);
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, '0') + '\0';
  block.write(name, 0, 'utf8');
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  block.write('        ', 148, 'ascii'); // the checksum counts its own field as spaces
  block.write('0', 156, 'ascii'); // a regular file
  block.write('ustar\u000000', 257, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest, 0);
}

/** Writes the members to `path` (which must not be in use: the caller writes aside and renames). */
export async function writeArchive(
  path: string,
  members: ArchiveMember[],
  mtime = new Date(),
): Promise<void> {
  const out = createWriteStream(path, { flags: 'wx' });
  const write = async (chunk: Buffer) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  try {
    for (const member of members) {
      const { content } = member;
      const size = content instanceof Uint8Array ? content.byteLength : content.size;
      await write(header(member.name, size, mtime));
      if (content instanceof Uint8Array) {
        await write(Buffer.from(content.buffer, content.byteOffset, content.byteLength));
      } else {
        await pipeline(createReadStream(content.path), out, { end: false });
      }
      await write(padding(size));
    }
    await write(Buffer.alloc(BLOCK * 2, 0));
    out.end();
    await once(out, 'finish');
  } finally {
    out.destroy();
  }
}

export interface ArchiveEntry {
  name: string;
  offset: number;
  size: number;
}

/** Lists a tar file's regular members; throws when it is not one or is cut short. */
export async function listArchive(path: string): Promise<ArchiveEntry[]> {
  const file = await open(path, 'r');
  try {
    const { size: total } = await file.stat();
    const entries: ArchiveEntry[] = [];
    let offset = 0;
    for (;;) {
      if (offset + BLOCK > total) throw new Error('the archive ends before its closing block (truncated?)');
      const block = Buffer.alloc(BLOCK);
      await file.read(block, 0, BLOCK, offset);
      if (block.every((b) => b === 0)) return entries;
      if (block.toString('ascii', 257, 262) !== 'ustar') throw new Error('not a tar archive');
      const field = (start: number, length: number) =>
        block.toString('utf8', start, start + length).replace(/\0.*$/s, '');
      const size = parseInt(field(124, 12).trim() || '0', 8);
      const type = field(156, 1);
      const name = field(0, 100);
      if (Number.isNaN(size)) throw new Error('a damaged tar header');
      if (offset + BLOCK + size > total) throw new Error(`the archive is truncated inside ${name}`);
      if (type === '0' || type === '') entries.push({ name, offset: offset + BLOCK, size });
      offset += BLOCK + size + padding(size).length;
    }
  } finally {
    await file.close();
  }
}

export async function readMember(path: string, entry: ArchiveEntry): Promise<Buffer> {
  let file: FileHandle | undefined;
  try {
    file = await open(path, 'r');
    const buffer = Buffer.alloc(entry.size);
    await file.read(buffer, 0, entry.size, entry.offset);
    return buffer;
  } finally {
    await file?.close();
  }
}

/** The member's bytes as a stream (large payloads are copied out, never read whole). */
export function memberStream(path: string, entry: ArchiveEntry): NodeJS.ReadableStream {
  return createReadStream(path, { start: entry.offset, end: entry.offset + entry.size - 1 });
}
