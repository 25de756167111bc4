// The archives of an offline package ZIP (`kumuh export --format pmtiles --basemap`,
// /api/peta-luring?peta_dasar=…): its entries are stored uncompressed, so each PMTiles
// archive is a slice of the file, read in place (nothing is copied into memory).
// Returns [{ name, file }] for the `.pmtiles` entries, in the ZIP's order; throws an
// Error whose message says what is wrong (the caller names the file).

const EOCD = 0x06054b50; // end of central directory
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;
const MAX_ENTRIES = 64;

const bytes = async (blob, start, end) => new DataView(await blob.slice(start, end).arrayBuffer());
const text = (view, at, length) => new TextDecoder().decode(new Uint8Array(view.buffer, view.byteOffset + at, length));

/** Whether the file starts like a ZIP (a local file header). */
export async function isZip(file) {
  if (file.size < 4) return false;
  return (await bytes(file, 0, 4)).getUint32(0, true) === LOCAL;
}

export async function zipEntries(file) {
  // The end record: 22 bytes, then a comment of up to 65,535.
  const tailStart = Math.max(0, file.size - 22 - MAX_COMMENT);
  const tail = await bytes(file, tailStart, file.size);
  let end = -1;
  for (let i = tail.byteLength - 22; i >= 0; i--) {
    if (tail.getUint32(i, true) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('no ZIP directory at its end');
  const count = tail.getUint16(end + 10, true);
  const size = tail.getUint32(end + 12, true);
  const offset = tail.getUint32(end + 16, true);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw new Error('a ZIP64 file (over 4 GiB) is not read here');
  if (count > MAX_ENTRIES) throw new Error(`${count} entries, more than ${MAX_ENTRIES}`);
  if (offset + size > file.size) throw new Error('its ZIP directory lies beyond its end');
  const dir = await bytes(file, offset, offset + size);
  const found = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > dir.byteLength || dir.getUint32(at, true) !== CENTRAL) throw new Error(`ZIP entry ${n + 1} is damaged`);
    const method = dir.getUint16(at + 10, true);
    const packed = dir.getUint32(at + 20, true);
    const nameLength = dir.getUint16(at + 28, true);
    const skip = nameLength + dir.getUint16(at + 30, true) + dir.getUint16(at + 32, true);
    const local = dir.getUint32(at + 42, true);
    const name = text(dir, at + 46, nameLength);
    at += 46 + skip;
    if (!name.toLowerCase().endsWith('.pmtiles')) continue;
    if (method !== 0) throw new Error(`${name} is compressed inside the ZIP; an offline package stores its archives as they are`);
    const head = await bytes(file, local, local + 30);
    if (head.byteLength < 30 || head.getUint32(0, true) !== LOCAL) throw new Error(`${name}: its ZIP entry is damaged`);
    const start = local + 30 + head.getUint16(26, true) + head.getUint16(28, true);
    if (start + packed > file.size) throw new Error(`${name} lies beyond the end of the file`);
    const base = name.split('/').pop();
    found.push({ name: base, file: new File([file.slice(start, start + packed)], base) });
  }
  if (!found.length) throw new Error('no PMTiles archive in it');
  return found;
}
