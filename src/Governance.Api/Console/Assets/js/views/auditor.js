// Auditor: a value's lineage from the value to its definition version, measures and facts; the audit
// log with filters and paging; the latest checkpoint and an inclusion check of a chosen entry.
import { h, fill, table, status, num, when, errorBox } from '../dom.js';
import { scopeInput } from '../scope.js';

const LINEAGE = `query Lineage($key: String!, $scope: MetricScopeInput!, $period: String!, $after: Long) {
  metricLineage(key: $key, scope: $scope, period: $period, first: 25, after: $after) {
    key version formula scope period value nullReason
    measures { measure period value }
    facts { items { factId source externalId accountId kind occurredAt batchId late supersedesFactId correctedByFactId } endCursor hasNextPage }
  }
}`;

const ENTRIES = `query Audit($action: String, $actor: String, $after: Long) {
  auditEntries(action: $action, actor: $actor, first: 20, after: $after) { seq at actor action subject reason }
}`;

const CHECKPOINT = `query Checkpoint { auditCheckpoint { treeSize rootHash at keyId } }`;

const PROOF = `query Proof($seq: Long!, $treeSize: Long!) {
  auditInclusionProof(seq: $seq, treeSize: $treeSize) { leafHash treeSize rootHash path entry { seq action subject actor at } }
}`;

function field(id, label, attributes = {}) {
  return h('div', {}, h('label', { for: id }, label), h('input', { id, name: id, ...attributes }));
}

function lineageSection(ctx) {
  const result = h('div', { id: 'lineage-result', 'aria-live': 'polite' });
  const p = ctx.params;
  const form = h('form', {
    class: 'inline', 'aria-label': 'Trace a value',
    onsubmit: event => {
      event.preventDefault();
      const data = new FormData(form);
      const query = new URLSearchParams({ key: data.get('key'), scope: data.get('scope'), period: data.get('period') });
      history.replaceState(null, '', `#/auditor?${query}`);
      trace(ctx, result, data.get('key'), data.get('scope'), data.get('period'));
    },
  },
  field('key', 'Metric key', { required: true, value: p.get('key') ?? 'net_revenue_retention', size: 24 }),
  field('scope', 'Scope', { required: true, value: p.get('scope') ?? 'tenant', size: 22, 'aria-describedby': 'scope-hint' }),
  field('period', 'Period', { required: true, value: p.get('period') ?? '', placeholder: '2025-Q1', size: 10 }),
  h('button', { type: 'submit' }, 'Trace'));
  if (p.get('key') && p.get('scope') && p.get('period')) trace(ctx, result, p.get('key'), p.get('scope'), p.get('period'));
  return h('section', { 'aria-labelledby': 'lineage-heading' },
    h('h2', { id: 'lineage-heading' }, 'Lineage of a value'),
    h('p', { id: 'scope-hint', class: 'muted' }, 'Scope: executive:ID, account:ID, segment:NAME or tenant; period: 2025-Q1 or 2025-03.'),
    form, result);
}

async function trace(ctx, result, key, scope, period) {
  fill(result, h('p', {}, 'Tracing…'));
  let lineage;
  try {
    lineage = (await ctx.gql(LINEAGE, { key, scope: scopeInput(scope), period })).metricLineage;
  } catch (error) {
    fill(result, errorBox(error));
    return;
  }
  const facts = h('ul', { class: 'facts' });
  const more = h('button', { type: 'button', class: 'secondary', id: 'more-facts' }, 'Load more facts');
  let cursor = lineage.facts.endCursor;
  const addFacts = page => {
    for (const f of page.items) {
      facts.append(h('li', { 'data-fact': f.factId }, h('span', { class: 'node' }, h('strong', {}, `fact ${f.factId}`), ' ',
        `${f.kind} · ${f.externalId} · account ${f.accountId ?? '—'} · ${when(f.occurredAt)} · ${f.source}`,
        f.late ? ' · late' : '', f.supersedesFactId ? ` · supersedes ${f.supersedesFactId}` : '', f.correctedByFactId ? ` · corrected by ${f.correctedByFactId}` : '')));
    }
    cursor = page.endCursor;
    more.hidden = !page.hasNextPage;
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      addFacts((await ctx.gql(LINEAGE, { key, scope: scopeInput(scope), period, after: cursor })).metricLineage.facts);
    } catch (error) {
      facts.append(h('li', {}, errorBox(error)));
    }
    more.disabled = false;
  });
  addFacts(lineage.facts);
  fill(result,
    h('ul', { class: 'tree', 'aria-label': 'Lineage tree' },
      h('li', {}, h('span', { class: 'node' }, h('strong', {}, 'value'), `${lineage.key} = ${lineage.value === null ? (lineage.nullReason ?? 'no value') : num(lineage.value, 6)} for ${lineage.scope}, ${lineage.period}`),
        h('ul', {}, h('li', {}, h('span', { class: 'node' }, h('strong', {}, `definition v${lineage.version}`), h('code', {}, lineage.formula ?? '(built in)')),
          h('ul', {},
            h('li', {}, h('span', { class: 'node' }, h('strong', {}, 'measures')),
              h('ul', {}, lineage.measures.map(m => h('li', {}, h('span', { class: 'node' }, `${m.measure} (${m.period}) = ${num(m.value, 6)}`))))),
            h('li', {}, h('span', { class: 'node' }, h('strong', {}, 'facts'), 'the facts the measures were read from'), facts, more)))))));
}

function auditSection(ctx) {
  const rows = h('div', { id: 'audit-rows' });
  const next = h('button', { type: 'button', class: 'secondary', id: 'audit-next' }, 'Next page');
  const first = h('button', { type: 'button', class: 'secondary', id: 'audit-first' }, 'First page');
  let filters = {};
  let after = null;
  const load = async () => {
    try {
      const entries = (await ctx.gql(ENTRIES, { ...filters, after })).auditEntries;
      fill(rows, table(after ? `Entries after #${after}` : 'Oldest first', ['Seq', 'At', 'Actor', 'Action', 'Subject', 'Reason', ''],
        entries.map(e => [e.seq, when(e.at), e.actor, e.action, e.subject, e.reason ?? '',
          h('button', { type: 'button', class: 'secondary', onclick: () => ctx.proveEntry(e.seq) }, `Check inclusion of #${e.seq}`)]), [0]));
      next.disabled = entries.length < 20;
      next.onclick = () => { after = entries.at(-1)?.seq ?? after; load(); };
    } catch (error) {
      fill(rows, errorBox(error));
    }
  };
  first.onclick = () => { after = null; load(); };
  const form = h('form', {
    class: 'inline', 'aria-label': 'Filter the audit log',
    onsubmit: event => {
      event.preventDefault();
      const data = new FormData(form);
      filters = { action: data.get('action') || null, actor: data.get('actor') || null };
      after = null;
      load();
    },
  }, field('action', 'Action', { placeholder: 'payout.approved', size: 20 }), field('actor', 'Actor', { size: 30 }), h('button', { type: 'submit' }, 'Filter'));
  load();
  return h('section', { 'aria-labelledby': 'audit-heading' }, h('h2', { id: 'audit-heading' }, 'Audit log'), form, rows, h('p', {}, first, ' ', next));
}

function checkpointSection(ctx, checkpoint) {
  const output = h('div', { id: 'proof', 'aria-live': 'polite' });
  const input = h('input', { id: 'proof-seq', name: 'seq', type: 'number', min: 1, max: checkpoint?.treeSize, required: true });
  const prove = async seq => {
    input.value = seq;
    fill(output, h('p', {}, 'Checking…'));
    try {
      const proof = (await ctx.gql(PROOF, { seq: Number(seq), treeSize: checkpoint.treeSize })).auditInclusionProof;
      const matches = proof.rootHash === checkpoint.rootHash;
      fill(output,
        h('p', {}, status(matches ? 'included' : 'mismatch', matches ? 'ok' : 'bad'),
          ` Entry #${proof.entry.seq} (${proof.entry.action} on ${proof.entry.subject} by ${proof.entry.actor}) is in the tree of ${proof.treeSize} entries whose root ${matches ? 'matches' : 'does not match'} the signed checkpoint.`),
        h('p', {}, 'Leaf hash ', h('code', {}, proof.leafHash)),
        h('ol', { 'aria-label': 'Proof path, leaf to root' }, proof.path.map(hash => h('li', {}, h('code', {}, hash)))),
        h('p', {}, 'Root ', h('code', {}, proof.rootHash)));
    } catch (error) {
      fill(output, errorBox(error));
    }
  };
  ctx.proveEntry = seq => { if (checkpoint) { prove(seq); input.focus(); } };
  if (!checkpoint) {
    return h('section', { 'aria-labelledby': 'checkpoint-heading' }, h('h2', { id: 'checkpoint-heading' }, 'Checkpoint'),
      h('p', { class: 'muted' }, 'No signed checkpoint yet: the audit-checkpoints job signs one periodically.'));
  }
  return h('section', { 'aria-labelledby': 'checkpoint-heading' },
    h('h2', { id: 'checkpoint-heading' }, 'Latest checkpoint'),
    h('p', {}, `${checkpoint.treeSize} entries, signed ${when(checkpoint.at)} with key ${checkpoint.keyId}; root `, h('code', {}, checkpoint.rootHash)),
    h('form', { class: 'inline', 'aria-label': 'Check inclusion', onsubmit: event => { event.preventDefault(); prove(input.value); } },
      h('div', {}, h('label', { for: 'proof-seq' }, `Entry (1 to ${checkpoint.treeSize})`), input),
      h('button', { type: 'submit', id: 'check-inclusion' }, 'Check inclusion')),
    output);
}

export default {
  id: 'auditor',
  title: 'Audit',
  roles: ['auditor', 'tenant-admin'],
  async render(container, ctx) {
    const checkpoint = (await ctx.gql(CHECKPOINT)).auditCheckpoint;
    fill(container, lineageSection(ctx), checkpointSection(ctx, checkpoint), auditSection(ctx));
  },
};
