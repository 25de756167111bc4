// Drawing and editing of a siteplan's features with Terra Draw on the MapLibre map:
// point, line and polygon modes, a select mode (drag features and vertices, insert
// midpoints, delete), snapping to the corners and edges of the other features, and an
// undo stack of whole FeatureCollections kept here (not Terra Draw's own history), so
// that edits of label, note and category undo the same way as geometry changes.
import {
  TerraDraw,
  TerraDrawPointMode,
  TerraDrawLineStringMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  ValidateNotSelfIntersecting,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { MODES } from './util.js';

const MODE_OF_TYPE = { Point: 'point', LineString: 'linestring', Polygon: 'polygon' };
const GUIDANCE = ['edited', 'selectionPoint', 'midPoint', 'closingPoint', 'snappingPoint', 'coordinatePoint'];
const MAX_UNDO = 100;

let counter = 0;
function newId() {
  counter += 1;
  return `F-${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();
}

function isUserFeature(f) {
  const p = f?.properties ?? {};
  return Boolean(p.mode) && MODE_OF_TYPE[f.geometry?.type] === p.mode && !p.currentlyDrawing && !GUIDANCE.some((k) => p[k]);
}

/**
 * @param {object} o
 * @param {import('maplibre-gl').Map} o.map
 * @param {() => {id: string, simbol: {warna: string}}} o.category the category picked
 * @param {(id: string) => string} o.colorOf the colour of a category id
 * @param {(e: {type: string, id?: string}) => void} o.onEvent change | select | deselect | drawing | history | mode
 */
export function createEditor({ map, category, colorOf, onEvent }) {
  let draw = null;
  let history = [];
  let selectedId = null;
  let drawingId = null;
  let baseline = '';
  let restoring = false;

  const colorFor = (f) => {
    const k = f.properties?.kategori;
    return k ? colorOf(k) : category()?.simbol?.warna ?? '#555555';
  };
  const snapping = {
    toFeature: { filter: (f) => isUserFeature(f), toLine: true, toCoordinate: true },
  };
  const noSelfIntersection = (feature) => ValidateNotSelfIntersecting(feature);

  function build() {
    const adapter = new TerraDrawMapLibreGLAdapter({ map, coordinatePrecision: 9, prefixId: 'sp-td' });
    return new TerraDraw({
      adapter,
      tracked: false,
      idStrategy: { isValidId: (id) => typeof id === 'string' && id.trim().length > 0 && id.length <= 100, getId: newId },
      modes: [
        new TerraDrawPointMode({
          editable: false,
          styles: { pointColor: colorFor, pointWidth: 8, pointOutlineColor: '#ffffff', pointOutlineWidth: 2 },
        }),
        new TerraDrawLineStringMode({
          snapping,
          pointerDistance: 30,
          styles: { lineStringColor: colorFor, lineStringWidth: 5, closingPointColor: '#ffffff', closingPointWidth: 7, closingPointOutlineColor: '#1a1a1a', closingPointOutlineWidth: 2 },
        }),
        new TerraDrawPolygonMode({
          snapping,
          pointerDistance: 30,
          validation: noSelfIntersection,
          styles: {
            fillColor: colorFor,
            fillOpacity: 0.4,
            outlineColor: colorFor,
            outlineWidth: 2.5,
            closingPointColor: '#ffffff',
            closingPointWidth: 7,
            closingPointOutlineColor: '#1a1a1a',
            closingPointOutlineWidth: 2,
          },
        }),
        new TerraDrawSelectMode({
          pointerDistance: 30,
          flags: {
            point: { feature: { draggable: true } },
            linestring: {
              feature: {
                draggable: true,
                coordinates: { midpoints: true, draggable: true, deletable: true, snappable: snapping },
              },
            },
            polygon: {
              feature: {
                draggable: true,
                validation: noSelfIntersection,
                coordinates: { midpoints: true, draggable: true, deletable: true, snappable: snapping },
              },
            },
          },
          styles: {
            selectedPolygonColor: '#ffd400',
            selectedPolygonFillOpacity: 0.35,
            selectedPolygonOutlineColor: '#1a1a1a',
            selectedPolygonOutlineWidth: 3,
            selectedLineStringColor: '#1a1a1a',
            selectedLineStringWidth: 6,
            selectedPointColor: '#ffd400',
            selectedPointWidth: 10,
            selectedPointOutlineColor: '#1a1a1a',
            selectedPointOutlineWidth: 2,
            selectionPointWidth: 9,
            selectionPointColor: '#ffffff',
            selectionPointOutlineColor: '#1a1a1a',
            selectionPointOutlineWidth: 2,
            midPointWidth: 6,
            midPointColor: '#ffd400',
            midPointOutlineColor: '#1a1a1a',
            midPointOutlineWidth: 1,
          },
        }),
      ],
    });
  }

  /** The user's features as a FeatureCollection in the server's shape. */
  function collection() {
    if (!draw) return { type: 'FeatureCollection', features: [] };
    const features = draw
      .getSnapshot()
      .filter((f) => isUserFeature(f))
      .map((f) => ({
        type: 'Feature',
        id: String(f.id),
        geometry: f.geometry,
        properties: {
          id: String(f.id),
          kategori: f.properties.kategori,
          label: f.properties.label || null,
          catatan: f.properties.catatan || null,
        },
      }));
    return { type: 'FeatureCollection', features };
  }

  function toStore(fc) {
    return (fc?.features ?? [])
      .filter((f) => MODE_OF_TYPE[f.geometry?.type])
      .map((f) => {
        const id = String(f.properties?.id ?? f.id ?? newId());
        return {
          type: 'Feature',
          id,
          geometry: f.geometry,
          properties: {
            mode: MODE_OF_TYPE[f.geometry.type],
            kategori: f.properties?.kategori ?? 'lainnya',
            label: f.properties?.label ?? '',
            catatan: f.properties?.catatan ?? '',
          },
        };
      });
  }

  const key = (fc) => JSON.stringify(fc.features.map((f) => [f.id, f.geometry, f.properties]));

  function push() {
    if (!draw || restoring) return;
    const fc = collection();
    const last = history[history.length - 1];
    if (last && key(last) === key(fc)) return;
    history.push(fc);
    if (history.length > MAX_UNDO + 1) history.shift();
    onEvent({ type: 'history' });
  }

  function load(fc) {
    restoring = true;
    try {
      if (selectedId && draw.getMode() === 'select') draw.deselectFeature(selectedId);
      selectedId = null;
      draw.clear();
      const results = draw.addFeatures(toStore(fc));
      const bad = results.filter((r) => !r.valid);
      if (bad.length) console.warn('[kumuh] features not editable', bad);
    } finally {
      restoring = false;
    }
  }

  function handleChange(ids, type) {
    if (restoring || !draw) return;
    if (type === 'delete' && selectedId && ids.includes(selectedId) && !draw.hasFeature(selectedId)) {
      selectedId = null;
      onEvent({ type: 'deselect' });
      push();
    }
    const mode = draw.getMode();
    if (MODES[mode] && draw.getModeState?.() === 'drawing') {
      // The feature being drawn: the last one in the store of this mode with
      // `currentlyDrawing` set.
      const current = draw.getSnapshot().find((f) => f.properties?.currentlyDrawing && f.properties?.mode === mode);
      drawingId = current ? current.id : null;
      if (current) onEvent({ type: 'drawing', feature: current });
    }
    onEvent({ type: 'change' });
  }

  return {
    active: () => Boolean(draw),
    /** Starts editing the given features (resolves once Terra Draw is ready). */
    start(fc) {
      if (draw) this.stop();
      draw = build();
      history = [];
      selectedId = null;
      drawingId = null;
      return new Promise((resolve) => {
        draw.on('ready', () => {
          load(fc);
          history = [collection()];
          baseline = key(history[0]);
          draw.on('change', handleChange);
          draw.on('finish', (id, ctx) => {
            if (ctx.action === 'draw') {
              drawingId = null;
              const cat = category();
              draw.updateFeatureProperties(id, { kategori: cat?.id ?? 'lainnya', label: '', catatan: '' });
              push();
              // Select what was just drawn, for its label and note.
              draw.setMode('select');
              draw.selectFeature(id);
              onEvent({ type: 'mode', mode: 'select' });
            } else push();
          });
          draw.on('select', (id) => {
            selectedId = id;
            onEvent({ type: 'select', id });
          });
          draw.on('deselect', () => {
            selectedId = null;
            onEvent({ type: 'deselect' });
          });
          draw.setMode('select');
          resolve();
        });
        draw.start();
      });
    },
    stop() {
      if (!draw) return;
      try {
        draw.stop();
      } catch (err) {
        console.warn('[kumuh] terra-draw stop', err);
      }
      draw = null;
      history = [];
      selectedId = null;
      drawingId = null;
    },
    setMode(mode) {
      if (!draw) return;
      if (selectedId && mode !== 'select') {
        draw.deselectFeature(selectedId);
        selectedId = null;
        onEvent({ type: 'deselect' });
      }
      drawingId = null;
      draw.setMode(mode);
      onEvent({ type: 'mode', mode });
    },
    mode: () => draw?.getMode() ?? null,
    selected() {
      if (!draw || !selectedId || !draw.hasFeature(selectedId)) return null;
      return draw.getSnapshotFeature(selectedId) ?? null;
    },
    select(id) {
      if (!draw || !draw.hasFeature(id)) return;
      if (draw.getMode() !== 'select') {
        draw.setMode('select');
        onEvent({ type: 'mode', mode: 'select' });
      }
      draw.selectFeature(id);
    },
    /** Shallow-merges properties into the selected feature (one undo step per call). */
    updateSelected(props) {
      if (!draw || !selectedId || !draw.hasFeature(selectedId)) return;
      draw.updateFeatureProperties(selectedId, props);
      push();
      onEvent({ type: 'change' });
    },
    deleteSelected() {
      if (!draw || !selectedId) return;
      const id = selectedId;
      draw.deselectFeature(id);
      selectedId = null;
      draw.removeFeatures([id]);
      onEvent({ type: 'deselect' });
      push();
      onEvent({ type: 'change' });
    },
    canUndo: () => history.length > 1,
    undo() {
      if (!draw) return false;
      // A shape half drawn is dropped first.
      const mode = draw.getMode();
      if (MODES[mode] && draw.getModeState?.() === 'drawing') {
        draw.setMode('select');
        draw.setMode(mode);
        drawingId = null;
        onEvent({ type: 'change' });
        return true;
      }
      if (history.length < 2) return false;
      history.pop();
      load(history[history.length - 1]);
      onEvent({ type: 'deselect' });
      onEvent({ type: 'history' });
      onEvent({ type: 'change' });
      return true;
    },
    collection,
    dirty: () => Boolean(draw) && key(collection()) !== baseline,
    /** After a save: the saved features become the new baseline. */
    markSaved(fc) {
      if (!draw) return;
      load(fc);
      history = [collection()];
      baseline = key(history[0]);
      onEvent({ type: 'history' });
      onEvent({ type: 'change' });
    },
  };
}
