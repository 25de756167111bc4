// Reading an offline package: a PMTiles archive from the device, checked and served to
// MapLibre through the `pmtiles://` protocol. A chunk of its own (with the `pmtiles` npm
// package), loaded by offline.js when the first file is opened.
import * as maplibregl from 'maplibre-gl';
import { FileSource, PMTiles, Protocol, TileType } from 'pmtiles';
import { t } from './i18n.js';
import { TILE_LAYERS } from './layers.js';
import { isZip, zipEntries } from './offline-zip.js';

let protocol = null;
/** MapLibre's `pmtiles://` protocol, registered once. */
export function pmtilesProtocol() {
  if (!protocol) {
    protocol = new Protocol();
    maplibregl.addProtocol('pmtiles', protocol.tile);
  }
  return protocol;
}

// Each opened file gets its own key (and so its own tile URLs): a second file of the same
// name is never answered from the first one's tiles.
let opened = 0;

export class OfflineError extends Error {}

// Reads a file's PMTiles header and metadata and checks that it is an atlas package
// (PMTiles v3 with vector tiles and at least one of the atlas's layers) or a basemap
// package (raster tiles: `raster: true`). Throws an OfflineError naming the file otherwise.
export async function openArchive(file) {
  const name = file?.name || '?';
  const inner = new FileSource(file);
  const key = `berkas${++opened}-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
  const archive = new PMTiles({ getKey: () => key, getBytes: (offset, length) => inner.getBytes(offset, length) });
  let header;
  try {
    header = await archive.getHeader();
  } catch (err) {
    throw new OfflineError(t('offline.error.read', { name, reason: err?.message ?? String(err) }));
  }
  const raster = [TileType.Png, TileType.Jpeg, TileType.Webp].includes(header.tileType);
  if (header.tileType !== TileType.Mvt && !raster) throw new OfflineError(t('offline.error.type', { name }));
  let metadata;
  try {
    metadata = await archive.getMetadata();
  } catch (err) {
    throw new OfflineError(t('offline.error.read', { name, reason: err?.message ?? String(err) }));
  }
  const bounds = [header.minLon, header.minLat, header.maxLon, header.maxLat];
  const valid = bounds.every(Number.isFinite) && header.minLon < header.maxLon && header.minLat < header.maxLat;
  // A raster archive (`kumuh basemap export`, /api/peta-dasar/NAME/luring) is a basemap to
  // draw under the atlas, whichever tiles the atlas reads.
  if (raster) {
    return {
      key,
      name,
      archive,
      raster: true,
      bounds: valid ? bounds : null,
      minzoom: header.minZoom,
      maxzoom: header.maxZoom,
      title: typeof metadata?.name === 'string' && metadata.name ? metadata.name : name,
      attribution: typeof metadata?.attribution === 'string' ? metadata.attribution : '',
    };
  }
  const inFile = Array.isArray(metadata?.vector_layers) ? metadata.vector_layers.map((l) => l?.id) : [];
  const layers = TILE_LAYERS.filter((id) => inFile.includes(id));
  if (!layers.length) throw new OfflineError(t('offline.error.layers', { name, layers: TILE_LAYERS.join(', ') }));
  return {
    key,
    name,
    archive,
    layers,
    bounds: valid ? bounds : null,
    minzoom: header.minZoom,
    maxzoom: header.maxZoom,
    description: typeof metadata?.description === 'string' ? metadata.description : '',
  };
}

// The archives of a file: a PMTiles file is one; a package ZIP (the atlas's tiles and a
// basemap's, /api/peta-luring?peta_dasar=…) holds several, each checked as above before
// any is used. At most one atlas archive (vector tiles) per package.
export async function openArchives(file) {
  if (!(await isZip(file))) return [await openArchive(file)];
  const name = file?.name || '?';
  let entries;
  try {
    entries = await zipEntries(file);
  } catch (err) {
    throw new OfflineError(t('offline.error.zip', { name, reason: err?.message ?? String(err) }));
  }
  const archives = [];
  for (const entry of entries) archives.push(await openArchive(entry.file));
  if (archives.filter((a) => !a.raster).length > 1) throw new OfflineError(t('offline.error.several', { name }));
  return archives;
}
