// Executive: the scorecard of a portfolio for a period (lenses, metrics, attainment against threshold,
// target and cap), a 12-month trend per metric, and the accounts whose own value of the metric moved
// most since the period before (accounts found through the value's lineage: the API has no list of a
// portfolio's accounts).
import { h, fill, table, status, num, pct, errorBox } from '../dom.js';
import { lineChart } from '../chart.js';
import { monthsEnding, previousPeriod } from '../scope.js';

const SCORECARD = `query Scorecard($executive: ID!, $period: String!) {
  scorecard(executiveId: $executive, period: $period) { executiveId period version overall
    lenses { lens weight attainment }
    metrics { metricKey lens weight direction threshold target cap actual attainment note contribution value { name unit } } }
}`;
const SERIES = `query Trend($key: String!, $executive: ID!, $from: String!, $to: String!) { metricSeries(key: $key, scope: { executive: $executive }, from: $from, to: $to) { period value } }`;
const ACCOUNTS = `query Contributors($key: String!, $executive: ID!, $period: String!) {
  metricLineage(key: $key, scope: { executive: $executive }, period: $period, first: 200) { facts { items { accountId } } }
}`;
const MAX_ACCOUNTS = 12;

function accountValuesQuery(accounts) {
  const fields = accounts.map((_, i) =>
    `now${i}: metricValue(key: $key, scope: { account: $a${i} }, period: $period) { value } before${i}: metricValue(key: $key, scope: { account: $a${i} }, period: $previous) { value }`);
  const declarations = accounts.map((_, i) => `$a${i}: ID!`).join(', ');
  return `query AccountValues($key: String!, $period: String!, $previous: String!, ${declarations}) { ${fields.join(' ')} }`;
}

/** The accounts of the metric's lineage whose own value changed most from the period before. */
async function movers(ctx, key, executive, period) {
  const previous = previousPeriod(period);
  if (!previous) return h('p', { class: 'muted' }, 'No period before to compare with.');
  try {
    const items = (await ctx.gql(ACCOUNTS, { key, executive, period })).metricLineage.facts.items;
    const accounts = [...new Set(items.map(f => f.accountId).filter(Boolean))].slice(0, MAX_ACCOUNTS);
    if (accounts.length === 0) return h('p', { class: 'muted' }, 'No account facts behind this value.');
    const variables = { key, period, previous };
    accounts.forEach((account, i) => { variables[`a${i}`] = account; });
    const data = await ctx.gql(accountValuesQuery(accounts), variables);
    const moves = accounts.map((account, i) => {
      const now = data[`now${i}`]?.value, before = data[`before${i}`]?.value;
      const delta = now === null || now === undefined || before === null || before === undefined ? null : Number(now) - Number(before);
      return { account, now, before, delta };
    }).filter(m => m.delta !== null && m.delta !== 0).sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, 3);
    return table(`Accounts that moved it most since ${previous}`, ['Account', previous, period, 'Change'],
      moves.map(m => [m.account, num(m.before), num(m.now), `${m.delta > 0 ? '+' : ''}${num(m.delta)}`]), [1, 2, 3]);
  } catch (error) {
    return h('p', { class: 'muted' }, `Per-account values are not available: ${error.message}`);
  }
}

async function metricCard(ctx, metric, executive, period) {
  const range = monthsEnding(period, 12);
  let trend = null;
  if (range) {
    try {
      const series = (await ctx.gql(SERIES, { key: metric.metricKey, executive, ...range })).metricSeries;
      trend = lineChart(series.map(v => ({ label: v.period, value: v.value })), { description: `${metric.metricKey} of ${executive}, ${range.from} to ${range.to}` });
    } catch (error) {
      trend = h('p', { class: 'muted' }, `No trend: ${error.message}`);
    }
  }
  const attained = metric.attainment === null ? 'muted' : Number(metric.attainment) >= 1 ? 'ok' : Number(metric.actual) === null ? 'bad' : 'warn';
  return h('article', { class: 'card metric', 'data-metric': metric.metricKey },
    h('h3', {}, `${metric.value?.name ?? metric.metricKey} `, status(pct(metric.attainment), attained)),
    h('p', { class: 'muted' }, `${metric.metricKey} · ${metric.lens} · weight ${num(metric.weight)} · ${metric.direction.toLowerCase().replaceAll('_', ' ')}`),
    h('p', {}, `Actual ${num(metric.actual)} against threshold ${num(metric.threshold)}, target ${num(metric.target)}, cap ${num(metric.cap)} · contribution ${num(metric.contribution)} · ${metric.note}`),
    trend,
    await movers(ctx, metric.metricKey, executive, period));
}

export default {
  id: 'executive',
  title: 'Scorecard',
  roles: ['executive', 'tenant-admin', 'cs-manager'],
  async render(container, ctx) {
    // A person linked to an executive (linkExecutive) starts on their own portfolio.
    const executive = ctx.params.get('executive') ?? ctx.viewer.executiveId ?? '';
    const period = ctx.params.get('period') ?? '';
    const form = h('form', {
      class: 'inline', 'aria-label': 'Choose a scorecard',
      onsubmit: event => {
        event.preventDefault();
        const data = new FormData(form);
        ctx.navigate(`#/executive?${new URLSearchParams({ executive: data.get('executive'), period: data.get('period') })}`);
      },
    },
    h('div', {}, h('label', { for: 'executive' }, 'Executive (portfolio)'), h('input', { id: 'executive', name: 'executive', required: true, value: executive })),
    h('div', {}, h('label', { for: 'period' }, 'Period'), h('input', { id: 'period', name: 'period', required: true, value: period, placeholder: '2025-Q1', size: 10 })),
    h('button', { type: 'submit' }, 'Show scorecard'));
    if (!executive || !period) {
      fill(container, form, h('p', { class: 'muted' }, 'Choose an executive and a period (2025-Q1 or 2025-03).'));
      return;
    }
    let scorecard;
    try {
      scorecard = (await ctx.gql(SCORECARD, { executive, period })).scorecard;
    } catch (error) {
      fill(container, form, errorBox(error));
      return;
    }
    fill(container, form,
      h('h2', {}, `${scorecard.executiveId}, ${scorecard.period} (scorecard v${scorecard.version}): overall `, h('span', { id: 'overall' }, pct(scorecard.overall))),
      table('Lenses', ['Lens', 'Weight', 'Attainment'], scorecard.lenses.map(l => [l.lens, num(l.weight), pct(l.attainment)]), [1, 2]),
      h('div', { class: 'grid' }, await Promise.all(scorecard.metrics.map(m => metricCard(ctx, m, executive, period)))));
  },
};
