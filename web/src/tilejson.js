// Where the atlas's vector sources read their TileJSON. /api/config carries what each
// layer's TileJSON (/tiles/{layer}) says: its tile URL template, zooms and bounds. A source
// then names its TileJSON `kumuh://atlas/tiles/{layer}`, which MapLibre asks of the
// protocol registered here, answered from that copy: the first view's tiles are asked for
// at once instead of after nine TileJSON requests to a server that is busy sending the
// viewer's scripts. A layer the config did not describe reads /tiles/{layer} as before.
import { addProtocol } from 'maplibre-gl';

const SCHEME = 'kumuh';
const PREFIX = `${SCHEME}://atlas/tiles/`;

// id -> the layer's TileJSON.
const described = new Map();

// `layers`: the `tiles` list of /api/config ({ id, tiles, minzoom, maxzoom, bounds }).
export function describeTileLayers(layers) {
  // MapLibre fetches tiles from its worker, so their URLs are absolute; the template is
  // joined as text because URL() would escape its braces.
  const root = new URL('.', document.baseURI).href;
  for (const l of layers ?? []) {
    if (!l?.id || typeof l.tiles !== 'string') continue;
    described.set(l.id, {
      tilejson: '3.0.0',
      scheme: 'xyz',
      tiles: [root + l.tiles],
      minzoom: l.minzoom,
      maxzoom: l.maxzoom,
      ...(Array.isArray(l.bounds) ? { bounds: l.bounds } : {}),
      vector_layers: [{ id: l.id }],
    });
  }
}

addProtocol(SCHEME, async ({ url }) => {
  const tilejson = url.startsWith(PREFIX) ? described.get(decodeURIComponent(url.slice(PREFIX.length))) : null;
  if (!tilejson) throw new Error(`no TileJSON for ${url}`);
  return { data: tilejson };
});

// The TileJSON URL of a tile layer: the copy from /api/config, else the server's, absolute
// and resolved like the API's (`/tiles/desa` when the viewer is served at the origin's root).
export function tileJsonUrl(layer) {
  if (described.has(layer)) return PREFIX + encodeURIComponent(layer);
  return new URL(`tiles/${encodeURIComponent(layer)}`, document.baseURI).href;
}
