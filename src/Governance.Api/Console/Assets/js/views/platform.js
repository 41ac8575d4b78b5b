// Platform operator: the customer tenants (and a form to create one, its integration secret shown once),
// the silos of the cluster, and the health of the background jobs of every tenant.
import { h, fill, table, status, when, errorBox } from '../dom.js';

const OVERVIEW = `query Platform {
  tenants { id name createdAt }
  clusterSilos { address status activations { count } }
  jobHealth { enqueued scheduled processing failed servers
    recurring { id tenantId cron nextExecution lastExecution lastJobState }
    recentFailures { jobId job failedAt exceptionType exceptionMessage } }
}`;
const CREATE = `mutation CreateTenant($input: CreateTenantInput!) { createTenant(input: $input) { tenant { id name } integrationClient { clientId clientSecret } } }`;
const NEVER = '0 0 31 2 *';

const stateKind = state => state === 'Succeeded' ? 'ok' : state === 'Failed' ? 'bad' : 'warn';

function createForm(ctx) {
  const output = h('div', { role: 'status', 'aria-live': 'polite' });
  const id = h('input', { id: 'tenant-id', name: 'id', required: true, pattern: '[a-z][a-z0-9-]{0,38}[a-z0-9]', 'aria-describedby': 'tenant-id-help' });
  const name = h('input', { id: 'tenant-name', name: 'name', required: true, maxlength: 200 });
  const submit = h('button', { type: 'submit' }, 'Create tenant');
  const form = h('form', {
    class: 'inline',
    onsubmit: async event => {
      event.preventDefault();
      submit.disabled = true;
      output.className = '';
      output.textContent = 'Working…';
      try {
        const { tenant, integrationClient } = (await ctx.gql(CREATE, { input: { id: id.value.trim(), name: name.value.trim() } })).createTenant;
        fill(output,
          h('p', { class: 'notice' }, `Tenant ${tenant.id} (${tenant.name}) created. Give its integration these credentials; the secret is shown this once.`),
          h('dl', { class: 'evidence', 'data-created': tenant.id },
            h('dt', {}, 'client_id'), h('dd', {}, h('code', {}, integrationClient.clientId)),
            h('dt', {}, 'client_secret'), h('dd', {}, h('code', { class: 'secret' }, integrationClient.clientSecret))),
          h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => ctx.refresh() }, 'Done: refresh the list')));
      } catch (error) {
        fill(output, errorBox(error));
        submit.disabled = false;
      }
    },
  },
  h('div', {}, h('label', { for: 'tenant-id' }, 'Tenant id'), id),
  h('div', {}, h('label', { for: 'tenant-name' }, 'Name'), name),
  h('div', {}, submit));
  // The outcome goes below the form's row: the credentials need the width.
  return h('div', { id: 'create-tenant' }, form, output);
}

export default {
  id: 'platform',
  title: 'Platform',
  roles: ['platform-admin'],
  async render(container, ctx) {
    const { tenants, clusterSilos, jobHealth } = await ctx.gql(OVERVIEW);
    const jobs = jobHealth;
    fill(container,
      h('h2', {}, `Tenants (${tenants.length})`),
      table(null, ['Id', 'Name', 'Created'], tenants.map(t => [h('code', {}, t.id), t.name, when(t.createdAt)])),
      h('h3', {}, 'Create a tenant'),
      h('p', { id: 'tenant-id-help', class: 'muted' }, 'The id: 2 to 40 lowercase letters, digits and “-”, starting with a letter; permanent. The tenant gets an integration client at once.'),
      createForm(ctx),
      h('h2', {}, `Cluster (${clusterSilos.length} ${clusterSilos.length === 1 ? 'silo' : 'silos'})`),
      table(null, ['Silo', 'Status', 'Activations'], clusterSilos.map(s => [h('code', {}, s.address),
        status(s.status, s.status === 'Active' ? 'ok' : 'warn'), s.activations.reduce((sum, a) => sum + a.count, 0)]), [2]),
      h('h2', {}, 'Background jobs'),
      h('p', { id: 'job-counts' }, `${jobs.servers} job servers · ${jobs.enqueued} waiting · ${jobs.processing} running · ${jobs.scheduled} scheduled (retries among them) · `,
        status(`${jobs.failed} failed`, jobs.failed > 0 ? 'bad' : 'ok'), ' · ', h('a', { href: '/hangfire' }, 'Open the Hangfire dashboard')),
      h('h3', {}, 'Latest failures'),
      table(null, ['Job', 'Failed', 'Exception'], jobs.recentFailures.map(f => [f.job, when(f.failedAt),
        h('span', {}, h('code', {}, f.exceptionType ?? ''), ` ${f.exceptionMessage ?? ''}`)])),
      h('h3', {}, 'Schedules'),
      table(null, ['Job', 'Tenant', 'Schedule (UTC)', 'Next run', 'Last run', 'Last state'], jobs.recurring.map(r => [
        h('code', {}, r.id), r.tenantId ?? 'platform', r.cron === NEVER ? 'never' : h('code', {}, r.cron),
        when(r.nextExecution), when(r.lastExecution), r.lastJobState ? status(r.lastJobState, stateKind(r.lastJobState)) : '—'])));
  },
};
