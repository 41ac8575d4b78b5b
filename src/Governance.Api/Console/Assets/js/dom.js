// Tiny DOM helpers: elements are built, never parsed from strings, so API text cannot inject markup.

/** h('p', {class: 'x'}, 'text', child) → element. Attributes starting with "on" become listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A table from column headers and rows of cells; numeric columns (by index) align right. */
export function table(caption, headers, rows, numeric = []) {
  return h('table', {},
    caption ? h('caption', { class: 'muted' }, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((header, i) => h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, header)))),
    h('tbody', {}, rows.length === 0
      ? h('tr', {}, h('td', { colspan: headers.length, class: 'muted' }, 'None.'))
      : rows.map(row => h('tr', {}, row.map((cell, i) => h('td', { class: numeric.includes(i) ? 'num' : null }, cell))))));
}

export const status = (text, kind) => h('span', { class: `status ${kind ?? text}` }, text);

/** Decimals arrive as strings or numbers; shown with up to four decimals, '—' for none. */
export function num(value, digits = 4) {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  return Number.isFinite(n) ? n.toLocaleString('en-GB', { maximumFractionDigits: digits }) : String(value);
}

export const pct = value => (value === null || value === undefined) ? '—' : `${(Number(value) * 100).toLocaleString('en-GB', { maximumFractionDigits: 1 })} %`;

export const money = (value, currency) => (value === null || value === undefined) ? '—'
  : `${Number(value).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency ?? ''}`.trim();

export const when = value => value ? new Date(value).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC' : '—';

/** Shows an error (with its GraphQL codes) in place of a section. */
export function errorBox(error) {
  const codes = error?.codes?.length ? ` (${error.codes.join(', ')})` : '';
  return h('p', { class: 'error', role: 'alert' }, `${error?.message ?? error}${codes}`);
}

/** A reason form: a labelled textarea and a submit button; calls onSubmit(reason) and shows the outcome. */
export function reasonForm({ id, legend, button, required = true, onSubmit, danger = false }) {
  const output = h('p', { role: 'status', 'aria-live': 'polite' });
  const area = h('textarea', { id, name: 'reason', required });
  const submit = h('button', { type: 'submit', class: danger ? 'danger' : null }, button);
  const form = h('form', {
    onsubmit: async event => {
      event.preventDefault();
      submit.disabled = true;
      output.className = '';
      output.textContent = 'Working…';
      try {
        output.textContent = (await onSubmit(area.value.trim())) ?? 'Done.';
        output.className = 'notice';
      } catch (error) {
        output.textContent = `${error.message}${error.codes ? ` (${error.codes.join(', ')})` : ''}`;
        output.className = 'error';
        submit.disabled = false;
      }
    },
  }, h('label', { for: id }, legend), area, h('p', {}, submit), output);
  return form;
}

/** Replaces a container's children; nested arrays are flattened and empty parts skipped, as in h(). */
export function fill(container, ...children) {
  container.replaceChildren();
  append(container, children);
  return container;
}
