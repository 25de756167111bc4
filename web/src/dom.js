// The one way the viewer and the siteplan editor build DOM nodes.

/**
 * An element: `h(tag, { className, text, testid, attrs, on }, ...children)`.
 *
 * `attrs` are set as attributes; `true` sets an empty one (`hidden`, `selected`) and
 * `null`, `undefined` or `false` leaves it out, so optional attributes need no `if`.
 * `on` maps event names to listeners (`{ click: fn }`). Children may be nodes, strings
 * (added as text) or arrays of them; `null`, `undefined` and `false` are left out, so
 * `cond ? node : null` reads inline.
 */
export function h(tag, { className, text, testid, attrs, on } = {}, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null && text !== false) node.textContent = text;
  if (testid) node.dataset.testid = testid;
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v == null || v === false) continue;
    node.setAttribute(k, v === true ? '' : v);
  }
  for (const [event, listener] of Object.entries(on ?? {})) node.addEventListener(event, listener);
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element (which needs its namespace): `svgEl(name, attrs, text)`. */
export function svgEl(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text != null) node.textContent = text;
  return node;
}
