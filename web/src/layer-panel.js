// The layer panel (top left): a checkbox per layer group that sets the layout visibility
// of the group's layers, and each group's legend beneath it (collapsible). The whole
// panel collapses to its title, and starts collapsed on phones. The visibility choice is
// kept in localStorage `kumuh.lapisan`.
import { t, onLangChange } from './i18n.js';
import { LAYER_GROUPS } from './layers.js';
import { h } from './dom.js';

const STORAGE_KEY = 'kumuh.lapisan';
const narrow = () => window.matchMedia('(max-width: 640px)').matches;

function saved() {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

// groups: [{ id, swatch?: () => Node, legend?: () => Node, legendOpen?: boolean,
//            onChange?: (visible) => void }], in the order of LAYER_GROUPS ids (a group
// marked `defaultOn: false` there starts hidden until chosen);
// footer: an optional node shown below the groups.
export function createLayerPanel({ map, groups, footer = null }) {
  const byId = new Map(LAYER_GROUPS.map((g) => [g.id, g]));
  const stored = saved();
  const visible = new Map(groups.map((g) => [g.id, typeof stored[g.id] === 'boolean' ? stored[g.id] : byId.get(g.id)?.defaultOn !== false]));
  const legendOpen = new Map(groups.map((g) => [g.id, g.legendOpen ?? true]));
  let open = !narrow();

  const root = h('section', { className: 'map-box layer-panel' });
  root.id = 'layer-panel';
  root.dataset.testid = 'layer-panel';
  const toggle = h('button', { className: 'map-box-toggle' });
  toggle.type = 'button';
  toggle.dataset.testid = 'layer-panel-toggle';
  toggle.setAttribute('aria-controls', 'layer-panel-body');
  const body = h('div', { className: 'layer-panel-body' });
  body.id = 'layer-panel-body';
  const list = h('ul', { className: 'layer-groups' });
  body.append(list);
  if (footer) body.append(footer);
  root.append(toggle, body);
  document.getElementById('map-overlays').prepend(root);

  toggle.addEventListener('click', () => {
    open = !open;
    renderOpen();
  });

  // One row per group: checkbox, name, legend expander; the legend below.
  const rows = new Map();
  for (const group of groups) {
    const li = h('li', { className: 'layer-group' });
    li.dataset.group = group.id;
    const head = h('div', { className: 'layer-group-head' });
    const label = h('label', { className: 'layer-toggle' });
    const box = h('input');
    box.type = 'checkbox';
    box.dataset.testid = `toggle-${group.id}`;
    box.addEventListener('change', () => setVisible(group.id, box.checked));
    const name = h('span', { className: 'layer-name' });
    const swatch = h('span', { className: 'layer-swatch' });
    label.append(box, name);
    head.append(label, swatch);
    let expander = null;
    let legend = null;
    if (group.legend) {
      expander = h('button', { className: 'legend-expander' });
      expander.type = 'button';
      expander.dataset.testid = `legend-toggle-${group.id}`;
      expander.setAttribute('aria-controls', `legend-${group.id}`);
      expander.addEventListener('click', () => {
        legendOpen.set(group.id, !legendOpen.get(group.id));
        renderGroup(group.id);
      });
      head.append(expander);
      legend = h('div', { className: 'layer-legend' });
      legend.id = `legend-${group.id}`;
    }
    li.append(head);
    if (legend) li.append(legend);
    list.append(li);
    rows.set(group.id, { group, li, box, name, swatch, expander, legend });
  }

  function renderOpen() {
    toggle.textContent = t('layers.title');
    toggle.title = t('layers.toggle');
    toggle.setAttribute('aria-expanded', String(open));
    body.hidden = !open;
    root.classList.toggle('collapsed', !open);
  }

  function renderGroup(id) {
    const row = rows.get(id);
    if (!row) return;
    const on = visible.get(id);
    row.box.checked = on;
    row.li.classList.toggle('layer-off', !on);
    row.name.textContent = t(`layers.${id}`);
    row.swatch.replaceChildren(...(row.group.swatch ? [row.group.swatch()] : []));
    if (!row.legend) return;
    const shown = on && legendOpen.get(id);
    row.expander.hidden = !on;
    row.expander.setAttribute('aria-expanded', String(shown));
    row.expander.setAttribute('aria-label', t(shown ? 'layers.legend.hide' : 'layers.legend.show', { name: t(`layers.${id}`) }));
    row.expander.title = row.expander.getAttribute('aria-label');
    row.legend.hidden = !shown;
    // Built only while shown: a hidden legend costs nothing.
    row.legend.replaceChildren(...(shown ? [row.group.legend()] : []));
  }

  function render() {
    renderOpen();
    for (const id of rows.keys()) renderGroup(id);
  }

  // Sets the layout visibility of every layer of the group that the style has.
  function applyVisibility(id) {
    const value = visible.get(id) ? 'visible' : 'none';
    for (const layer of byId.get(id)?.layers ?? []) {
      if (map.getLayer(layer) && map.getLayoutProperty(layer, 'visibility') !== value) map.setLayoutProperty(layer, 'visibility', value);
    }
  }

  function setVisible(id, on) {
    visible.set(id, on);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(visible)));
    } catch {
      // storage may be unavailable (private mode)
    }
    applyVisibility(id);
    renderGroup(id);
    rows.get(id)?.group.onChange?.(on);
  }

  render();
  onLangChange(render);

  return {
    // After a style (re)load: the layers take the chosen visibility.
    apply() {
      for (const id of rows.keys()) applyVisibility(id);
    },
    // Rebuilds a group's legend (its content changed).
    refresh(id) {
      renderGroup(id);
    },
    isVisible: (id) => visible.get(id) !== false,
    // Opens or collapses the whole panel.
    setOpen(value) {
      open = Boolean(value);
      renderOpen();
    },
    narrow,
    setVisible,
  };
}
