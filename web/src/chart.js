// A tiny inline-SVG line chart (no charting library): one value per label,
// e.g. the total score per survey year. Points are <circle class="chart-point">.
import { svgEl } from './dom.js';

const W = 300;
const H = 120;
const PAD = { top: 16, right: 16, bottom: 22, left: 30 };

// points: [{label, value, color?}] in order (a `null` value is a gap: no point, the line
// breaks); yMax: top of the scale; title: accessible name; values: whether each point's
// value is written above it (else in its tooltip only); labelEvery: write every n-th
// label only, counted back from the last, so that many labels stay apart.
export function lineChart({ points, yMax, title, format = String, values = true, labelEvery = 1 }) {
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'line-chart', role: 'img', 'aria-label': title });
  svg.append(svgEl('title', {}, title));
  const max = Math.max(yMax || 0, ...points.map((p) => p.value ?? 0), 1);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + (points.length === 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v) => PAD.top + innerH - (Math.max(0, v) / max) * innerH;

  // Horizontal grid: 0, half and the top of the scale.
  for (const v of [0, max / 2, max]) {
    svg.append(svgEl('line', { class: 'chart-grid', x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }));
    svg.append(svgEl('text', { class: 'chart-axis', x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, format(Math.round(v))));
  }

  let d = '';
  let pen = false;
  points.forEach((p, i) => {
    if (p.value == null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)} `;
    pen = true;
  });
  if (d.includes('L')) svg.append(svgEl('path', { class: 'chart-line', d: d.trim() }));
  points.forEach((p, i) => {
    const g = svgEl('g', { class: 'chart-mark' });
    if (p.value != null) {
      const circle = svgEl('circle', { class: 'chart-point', cx: x(i), cy: y(p.value), r: values ? 4.5 : 3 });
      if (p.color) circle.setAttribute('fill', p.color);
      circle.append(svgEl('title', {}, `${p.label}: ${format(p.value)}`));
      g.append(circle);
      if (values) g.append(svgEl('text', { class: 'chart-value', x: x(i), y: y(p.value) - 8, 'text-anchor': 'middle' }, format(p.value)));
    }
    if ((points.length - 1 - i) % labelEvery === 0) g.append(svgEl('text', { class: 'chart-axis', x: x(i), y: H - 6, 'text-anchor': 'middle' }, p.label));
    svg.append(g);
  });
  return svg;
}
