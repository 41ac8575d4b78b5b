// Inline SVG line charts: no library, readable without colour (the flagged point is also labelled).

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attributes = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * points: [{ label: '2025-01', value: number|null }]; flagged: the label to mark (optional);
 * description: what the chart shows, for screen readers (role="img" with a title).
 */
export function lineChart(points, { flagged = null, description = 'Series', width = 420, height = 150 } = {}) {
  const pad = { left: 44, right: 10, top: 12, bottom: 24 };
  const known = points.filter(p => p.value !== null && p.value !== undefined).map(p => Number(p.value));
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': description });
  svg.append(s('title', {}, description));
  if (known.length === 0) {
    svg.append(s('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, 'no values'));
    return svg;
  }
  let [min, max] = [Math.min(...known), Math.max(...known)];
  if (min === max) { min -= Math.abs(min) * 0.1 || 1; max += Math.abs(max) * 0.1 || 1; }
  const x = i => pad.left + (points.length === 1 ? 0 : i * (width - pad.left - pad.right) / (points.length - 1));
  const y = v => pad.top + (max - v) * (height - pad.top - pad.bottom) / (max - min);
  const fmt = v => Number(v).toLocaleString('en-GB', { maximumFractionDigits: 3 });
  svg.append(s('line', { x1: pad.left, y1: pad.top, x2: pad.left, y2: height - pad.bottom, stroke: '#d0d7de' }));
  svg.append(s('text', { x: pad.left - 4, y: pad.top + 4, 'text-anchor': 'end' }, fmt(max)));
  svg.append(s('text', { x: pad.left - 4, y: height - pad.bottom, 'text-anchor': 'end' }, fmt(min)));
  let path = '';
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) return;
    path += `${path === '' ? 'M' : 'L'}${x(i).toFixed(1)},${y(Number(p.value)).toFixed(1)} `;
  });
  svg.append(s('path', { class: 'line', d: path }));
  points.forEach((p, i) => {
    const shown = i === 0 || i === points.length - 1 || p.label === flagged;
    if (shown) svg.append(s('text', { x: x(i), y: height - 6, 'text-anchor': i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle' }, p.label));
    if (p.value === null || p.value === undefined) return;
    const isFlagged = p.label === flagged;
    const dot = s('circle', { class: isFlagged ? 'flag' : 'pt', cx: x(i), cy: y(Number(p.value)), r: isFlagged ? 5 : 2.5 });
    dot.append(s('title', {}, `${p.label}: ${fmt(p.value)}${isFlagged ? ' (flagged)' : ''}`));
    svg.append(dot);
    if (isFlagged) svg.append(s('text', { x: x(i), y: Math.max(10, y(Number(p.value)) - 8), 'text-anchor': i === points.length - 1 ? 'end' : i === 0 ? 'start' : 'middle', class: 'flag-label' }, `flagged ${fmt(p.value)}`));
  });
  return svg;
}
