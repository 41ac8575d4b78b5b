// Committee: payouts waiting for a decision with their statement and evidence, approve or reject with a
// reason, the quorum so far; decided payouts with their vesting tranches (release when due, hold with a
// reason) and clawback case (recover or dismiss with a reason).
import { h, fill, table, status, num, pct, money, when, errorBox } from '../dom.js';

const LIST = `query CommitteePayouts {
  committeeQuorum
  payouts { id executiveId period status total currency quorum approvals clawback proposedBy proposedAt
    tranches { index dueOn share amount status } }
}`;

const DETAIL = `query CommitteePayout($id: ID!) {
  payout(id: $id) { id executiveId period status total currency quorum approvals clawback reason proposedBy proposedAt
    statement { period periodDays total currency problems { field message }
      segments { from to days scorecardVersion planVersion overall multiplier amount
        metrics { metricKey lens weight threshold target cap actual attainment note contribution }
        gates { metricKey comparison bound value holds } }
      tranches { index dueOn share amount } }
    values { metricKey definitionVersion pinId value nullReason }
    tranches { index dueOn share amount status }
    events { seq kind actor reason evidence at } }
}`;

const FINDINGS = `query CommitteeFindings { findings(open: true, first: 100) { id kind scope metricKey period summary } }`;

const DECIDE = {
  approve: `mutation Approve($id: ID!, $reason: String) { approvePayout(payoutId: $id, reason: $reason) { id status approvals quorum } }`,
  reject: `mutation Reject($id: ID!, $reason: String!) { rejectPayout(payoutId: $id, reason: $reason) { id status approvals quorum } }`,
};

const WAITING = ['PROPOSED', 'VERIFIED'];

function statement(payout) {
  const s = payout.statement;
  return h('section', { 'aria-label': 'Statement' },
    h('h3', {}, 'Statement'),
    h('p', {}, `${s.period}, ${s.periodDays} days · total `, h('strong', {}, money(s.total, s.currency))),
    s.segments.map((segment, i) => h('div', { class: 'segment' },
      h('h4', {}, `Segment ${i + 1}: ${segment.from} to ${segment.to} (${segment.days} days) · scorecard v${segment.scorecardVersion ?? '—'}, plan v${segment.planVersion ?? '—'}`),
      table('Metric attainment', ['Metric', 'Lens', 'Weight', 'Threshold', 'Target', 'Cap', 'Actual', 'Attainment', 'Contribution', 'Note'],
        segment.metrics.map(m => [m.metricKey, m.lens, num(m.weight), num(m.threshold), num(m.target), num(m.cap), num(m.actual), pct(m.attainment), num(m.contribution), m.note]),
        [2, 3, 4, 5, 6, 7, 8]),
      table('Gates', ['Gate metric', 'Condition', 'Value', 'Holds'],
        segment.gates.map(g => [g.metricKey, `${g.comparison.toLowerCase().replace('_', ' ')} ${num(g.bound)}`, num(g.value), status(g.holds ? 'holds' : 'fails', g.holds ? 'ok' : 'bad')]), [2]),
      h('p', {}, `Overall attainment ${pct(segment.overall)} · multiplier ${num(segment.multiplier)} · amount `, h('strong', {}, money(segment.amount, s.currency))))),
    s.problems.length ? h('ul', { class: 'error' }, s.problems.map(p => h('li', {}, `${p.field}: ${p.message}`))) : null,
    table('Tranches of the statement', ['Tranche', 'Due', 'Share', 'Amount'], s.tranches.map(t => [t.index, t.dueOn, pct(t.share), money(t.amount, s.currency)]), [2, 3]));
}

function evidence(payout, findings) {
  const verification = [...payout.events].reverse().find(e => e.kind.startsWith('verif'));
  let pretty = verification?.evidence ?? null;
  try { if (pretty) pretty = JSON.stringify(JSON.parse(pretty), null, 2); } catch { /* shown as stored */ }
  const relevant = findings.filter(f => !f.scope || f.scope === 'tenant' || f.scope === `executive:${payout.executiveId}`);
  return h('section', { 'aria-label': 'Evidence' },
    h('h3', {}, 'Evidence'),
    table('Pinned values', ['Metric', 'Definition version', 'Pin', 'Value'],
      payout.values.map(v => [v.metricKey, `v${v.definitionVersion}`, h('code', {}, v.pinId), v.value === null ? (v.nullReason ?? '—') : num(v.value, 6)]), [3]),
    h('h4', {}, 'Verification'),
    verification
      ? h('div', {}, h('p', {}, status(verification.kind === 'verified' ? 'verified' : verification.kind, verification.kind === 'verified' ? 'ok' : 'bad'),
          ` by ${verification.actor}, ${when(verification.at)}${verification.reason ? ` — ${verification.reason}` : ''}`),
          pretty ? h('pre', {}, pretty) : null)
      : h('p', { class: 'muted' }, 'Not verified yet: the data owner runs verifyPayout once the period is closed.'),
    h('h4', {}, 'Open findings'),
    relevant.length
      ? h('ul', {}, relevant.map(f => h('li', {}, `${f.kind}: ${f.summary} (${f.scope ?? 'tenant'}${f.period ? `, ${f.period}` : ''})`)))
      : h('p', { class: 'muted' }, 'No open finding for this executive or the tenant.'));
}

function decisionForm(payout, ctx) {
  const id = `reason-${payout.id}`;
  const output = h('p', { role: 'status', 'aria-live': 'polite' });
  const area = h('textarea', { id, name: 'reason', 'aria-describedby': `${id}-hint` });
  const canDecide = payout.status === 'VERIFIED';
  const buttons = [
    h('button', { type: 'submit', name: 'decision', value: 'approve', disabled: !canDecide }, 'Approve'),
    h('button', { type: 'submit', name: 'decision', value: 'reject', class: 'danger', disabled: !canDecide }, 'Reject'),
  ];
  return h('form', {
    class: 'decision',
    'aria-label': `Decision on ${payout.executiveId} ${payout.period}`,
    onsubmit: async event => {
      event.preventDefault();
      const decision = event.submitter?.value ?? 'approve';
      const reason = area.value.trim();
      if (decision === 'reject' && !reason) { output.className = 'error'; output.textContent = 'A rejection needs a reason.'; area.focus(); return; }
      buttons.forEach(b => { b.disabled = true; });
      output.className = ''; output.textContent = 'Recording your decision…';
      try {
        const data = await ctx.gql(DECIDE[decision], { id: payout.id, reason: reason || null });
        const result = data.approvePayout ?? data.rejectPayout;
        output.className = 'notice';
        output.textContent = `Recorded: ${result.status}, ${result.approvals.length} of ${result.quorum} approvals.`;
        await ctx.refresh();
      } catch (error) {
        output.className = 'error';
        output.textContent = `${error.message}${error.codes ? ` (${error.codes.join(', ')})` : ''}`;
        buttons.forEach(b => { b.disabled = false; });
      }
    },
  },
  h('h3', {}, 'Your decision'),
  h('label', { for: id }, 'Reason'),
  h('p', { id: `${id}-hint`, class: 'muted' }, canDecide ? 'Optional when approving, required when rejecting; it goes into the audit log.' : 'Decisions open once the payout is verified.'),
  area, h('p', { class: 'actions' }, buttons[0], ' ', buttons[1]), output);
}

const ACT = {
  release: `mutation Release($id: ID!, $tranche: Int!, $reason: String) { releaseTranche(payoutId: $id, tranche: $tranche, reason: $reason) { id } }`,
  hold: `mutation Hold($id: ID!, $tranche: Int!, $reason: String!) { holdTranche(payoutId: $id, tranche: $tranche, reason: $reason) { id } }`,
  recover: `mutation Recover($id: ID!, $reason: String!) { recoverClawback(payoutId: $id, reason: $reason) { id } }`,
  dismiss: `mutation Dismiss($id: ID!, $reason: String!) { dismissClawback(payoutId: $id, reason: $reason) { id } }`,
};

// A small labelled form with a reason and one button per action; the API decides (due dates, the payee).
function actionForm(label, idBase, actions, ctx, variables) {
  const output = h('p', { role: 'status', 'aria-live': 'polite' });
  const input = h('input', { id: idBase, name: 'reason', type: 'text' });
  const buttons = actions.map(a => h('button', { type: 'submit', value: a.value, class: a.danger ? 'danger' : '' }, a.label));
  return h('form', {
    class: 'inline-action', 'aria-label': label,
    onsubmit: async event => {
      event.preventDefault();
      const action = actions.find(a => a.value === event.submitter?.value) ?? actions[0];
      const reason = input.value.trim();
      if (action.needsReason && !reason) { output.className = 'error'; output.textContent = `${action.label} needs a reason.`; input.focus(); return; }
      buttons.forEach(b => { b.disabled = true; });
      try {
        await ctx.gql(ACT[action.value], { ...variables, reason: reason || null });
        await ctx.refresh();
      } catch (error) {
        output.className = 'error';
        output.textContent = `${error.message}${error.codes ? ` (${error.codes.join(', ')})` : ''}`;
        buttons.forEach(b => { b.disabled = false; });
      }
    },
  }, h('label', { for: idBase }, 'Reason'), ' ', input, ' ', buttons.flatMap(b => [b, ' ']), output);
}

function trancheItem(payout, tranche, ctx) {
  const open = payout.status === 'APPROVED' && tranche.status !== 'RELEASED';
  const actions = [{ value: 'release', label: `Release #${tranche.index}` }];
  if (tranche.status === 'SCHEDULED') { actions.push({ value: 'hold', label: `Hold #${tranche.index}`, needsReason: true, danger: true }); }
  return h('li', { 'data-tranche': `${payout.id}-${tranche.index}` }, `#${tranche.index} due ${tranche.dueOn}: ${money(tranche.amount, payout.currency)} `, status(tranche.status),
    open ? actionForm(`Tranche ${tranche.index} of ${payout.executiveId} ${payout.period}`, `tranche-${payout.id}-${tranche.index}`, actions, ctx, { id: payout.id, tranche: tranche.index }) : null);
}

function clawbackCell(payout, ctx) {
  return h('div', {}, status(payout.clawback, payout.clawback === 'NONE' ? 'ok' : payout.clawback),
    payout.clawback === 'OPEN'
      ? actionForm(`Clawback case of ${payout.executiveId} ${payout.period}`, `clawback-${payout.id}`,
        [{ value: 'recover', label: 'Recover', needsReason: true, danger: true }, { value: 'dismiss', label: 'Dismiss', needsReason: true }], ctx, { id: payout.id })
      : null);
}

function quorum(payout) {
  return h('p', { class: 'quorum' }, 'Quorum: ',
    h('strong', { 'data-approvals': payout.approvals.length }, `${payout.approvals.length} of ${payout.quorum} approvals`),
    payout.approvals.length ? ` (${payout.approvals.join(', ')})` : '');
}

export default {
  id: 'committee',
  title: 'Committee',
  roles: ['committee-member'],
  async render(container, ctx) {
    const [list, open] = await Promise.all([ctx.gql(LIST), ctx.gql(FINDINGS).catch(() => ({ findings: [] }))]);
    const waiting = list.payouts.filter(p => WAITING.includes(p.status));
    const decided = list.payouts.filter(p => !WAITING.includes(p.status));
    const details = await Promise.all(waiting.map(p => ctx.gql(DETAIL, { id: p.id }).then(d => d.payout, error => ({ ...p, error }))));
    fill(container,
      h('p', {}, `The committee needs ${list.committeeQuorum} approvals per payout; the payee never votes on their own.`),
      h('h2', {}, `Waiting for a decision (${waiting.length})`),
      details.length === 0 ? h('p', { class: 'muted' }, 'Nothing is waiting.') : null,
      details.map(payout => payout.error ? errorBox(payout.error) : h('article', { class: 'card payout', 'data-payout': payout.id },
        h('h3', {}, `${payout.executiveId} · ${payout.period} `, status(payout.status)),
        h('p', {}, 'Total ', h('strong', {}, money(payout.total, payout.currency)), ` · proposed by ${payout.proposedBy}, ${when(payout.proposedAt)}: ${payout.reason}`),
        quorum(payout),
        h('div', { class: 'grid' }, statement(payout), evidence(payout, open.findings)),
        decisionForm(payout, ctx))),
      h('h2', {}, 'Decided payouts: vesting and clawback'),
      table(null, ['Executive', 'Period', 'Status', 'Total', 'Tranches', 'Clawback'],
        decided.map(p => [p.executiveId, p.period, status(p.status), money(p.total, p.currency),
          h('ul', {}, p.tranches.map(t => trancheItem(p, t, ctx))),
          clawbackCell(p, ctx)]), [3]));
  },
};
