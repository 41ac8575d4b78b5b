// Data owner: open findings to resolve with a reason (anomalies with the series and the flagged point),
// and metric definition drafts to approve, with the diff from the version before.
import { h, fill, table, status, when, reasonForm, errorBox } from '../dom.js';
import { lineChart } from '../chart.js';
import { scopeInput, monthsEnding } from '../scope.js';

const FINDINGS = `query OpenFindings { findings(open: true, first: 100) { id kind scope metricKey period source summary evidence detectedBy detectedAt } }`;
const SERIES = `query Series($key: String!, $scope: MetricScopeInput!, $from: String!, $to: String!) { metricSeries(key: $key, scope: $scope, from: $from, to: $to) { period value nullReason } }`;
const RESOLVE = `mutation Resolve($id: ID!, $reason: String!) { resolveFinding(findingId: $id, reason: $reason) { id open resolvedBy } }`;
const DRAFTS = `query Drafts { metricDefinitions(status: DRAFT, allVersions: true) { key version name formula unit direction author reason proposedAt effectiveFrom } }`;
const DIFF = `query Diff($key: String!, $from: Int!, $to: Int!) { metricDefinitionDiff(key: $key, fromVersion: $from, toVersion: $to) { changes { field before after } } }`;
const APPROVE = `mutation ApproveDefinition($key: String!, $version: Int!, $reason: String) { approveMetricDefinition(key: $key, version: $version, reason: $reason) { key version status } }`;

async function anomalyChart(ctx, finding) {
  const range = monthsEnding(finding.period, 12);
  if (!finding.metricKey || !finding.scope || !range) return null;
  try {
    const series = (await ctx.gql(SERIES, { key: finding.metricKey, scope: scopeInput(finding.scope), ...range })).metricSeries;
    return h('figure', {},
      lineChart(series.map(v => ({ label: v.period, value: v.value })), { flagged: finding.period, description: `${finding.metricKey} of ${finding.scope}, ${range.from} to ${range.to}; ${finding.period} flagged` }),
      h('figcaption', { class: 'muted' }, `${finding.metricKey}, ${finding.scope}, the 12 months to ${finding.period}; the red point is the flagged month.`));
  } catch (error) {
    return h('p', { class: 'muted' }, `The series could not be drawn: ${error.message}`);
  }
}

function evidenceText(evidence) {
  try {
    const parsed = JSON.parse(evidence);
    return h('dl', { class: 'evidence' }, Object.entries(parsed).map(([k, v]) => [h('dt', {}, k), h('dd', {}, typeof v === 'object' ? JSON.stringify(v) : String(v))]));
  } catch {
    return h('pre', {}, evidence);
  }
}

async function findingCard(ctx, finding) {
  const card = h('article', { class: 'card finding', 'data-finding': finding.id },
    h('h3', {}, status(finding.kind, 'warn'), ` ${finding.summary}`),
    h('p', { class: 'muted' }, `${finding.scope ?? 'tenant'}${finding.metricKey ? ` · ${finding.metricKey}` : ''}${finding.period ? ` · ${finding.period}` : ''}${finding.source ? ` · source ${finding.source}` : ''} · detected by ${finding.detectedBy}, ${when(finding.detectedAt)}`),
    finding.kind === 'anomaly' ? await anomalyChart(ctx, finding) : null,
    h('details', {}, h('summary', {}, 'Evidence'), evidenceText(finding.evidence)),
    reasonForm({
      id: `resolve-${finding.id}`, legend: 'Reason for resolving', button: 'Resolve finding',
      onSubmit: async reason => {
        if (!reason) throw new Error('A reason is required.');
        await ctx.gql(RESOLVE, { id: finding.id, reason });
        card.replaceWith(h('p', { class: 'notice', role: 'status', 'data-resolved': finding.id },
          `Resolved “${finding.summary}”; it no longer blocks payout verification.`));
        return 'Resolved.';
      },
    }));
  return card;
}

async function draftCard(ctx, draft) {
  let diff = null;
  if (draft.version > 1) {
    try {
      const changes = (await ctx.gql(DIFF, { key: draft.key, from: draft.version - 1, to: draft.version })).metricDefinitionDiff?.changes ?? [];
      diff = table(`Changes from v${draft.version - 1}`, ['Field', 'Before', 'After'],
        changes.map(c => [c.field, h('del', {}, c.before ?? '—'), h('ins', {}, c.after ?? '—')]));
      diff.classList.add('diff');
    } catch (error) {
      diff = errorBox(error);
    }
  }
  return h('article', { class: 'card draft', 'data-definition': `${draft.key}@${draft.version}` },
    h('h3', {}, `${draft.name} (${draft.key} v${draft.version}) `, status('DRAFT', 'warn')),
    h('p', {}, `Proposed by ${draft.author}, ${when(draft.proposedAt)}, effective from ${draft.effectiveFrom}: ${draft.reason}`),
    h('p', {}, 'Formula ', h('code', {}, draft.formula ?? '(health score)'), ` · ${draft.unit} · ${draft.direction}`),
    diff ?? h('p', { class: 'muted' }, 'First version: nothing to compare with.'),
    reasonForm({
      id: `approve-${draft.key}-${draft.version}`, legend: 'Reason for approving (optional)', button: 'Approve definition', required: false,
      onSubmit: async reason => {
        await ctx.gql(APPROVE, { key: draft.key, version: draft.version, reason: reason || null });
        return 'Approved.';
      },
    }));
}

export default {
  id: 'dataowner',
  title: 'Data quality',
  roles: ['data-owner'],
  async render(container, ctx) {
    const [{ findings }, drafts] = await Promise.all([ctx.gql(FINDINGS), ctx.gql(DRAFTS).then(d => d.metricDefinitions, error => error)]);
    fill(container,
      h('h2', {}, `Open findings (${findings.length})`),
      h('p', { class: 'muted' }, 'An open finding blocks the verification of payouts whose inputs it touches.'),
      findings.length ? await Promise.all(findings.map(f => findingCard(ctx, f))) : h('p', {}, 'No open finding.'),
      h('h2', {}, 'Definition proposals'),
      drafts instanceof Error ? errorBox(drafts)
        : drafts.length ? await Promise.all(drafts.map(d => draftCard(ctx, d))) : h('p', { class: 'muted' }, 'No draft waiting for approval.'));
  },
};
