// The console shell: sign-in state, the viewer's roles, a hash router over the views their roles allow.
import { signIn, signOut, completeSignIn, accessToken, forgetToken, CALLBACK_PATH } from './auth.js';
import { gql } from './graphql.js';
import { h, errorBox } from './dom.js';
import committee from './views/committee.js';
import auditor from './views/auditor.js';
import dataowner from './views/dataowner.js';
import executive from './views/executive.js';
import platform from './views/platform.js';

const VIEWS = [committee, auditor, dataowner, executive, platform];
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const session = document.getElementById('session');
let viewer = null;

/** '#/auditor?key=x&period=y' → { id: 'auditor', params: URLSearchParams }. */
function route() {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  return { id: path, params: new URLSearchParams(query ?? '') };
}

// The person's display name, if the (signed, readable) access token carries one; only for the header.
function nameInToken() {
  try {
    const payload = accessToken().split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), c => c.charCodeAt(0))));
    return typeof claims.name === 'string' ? claims.name : null;
  } catch {
    return null;
  }
}

function allowedViews() {
  return VIEWS.filter(view => view.roles.some(role => viewer.roles.includes(role)));
}

function showSignedOut(message) {
  nav.replaceChildren();
  session.replaceChildren();
  document.title = 'Sign in · Governance console';
  main.replaceChildren(
    h('h1', {}, 'Governance console'),
    message ? h('p', { class: 'error', role: 'alert' }, message) : null,
    h('p', {}, 'Committees, auditors, data owners and executives look at payouts, lineage, findings and scorecards here; platform operators at tenants, the cluster and the jobs. Sign in with your organisation account.'),
    h('button', { type: 'button', id: 'sign-in', onclick: () => signIn() }, 'Sign in'));
}

function renderChrome(views, current) {
  nav.replaceChildren(h('ul', {}, views.map(view => h('li', {},
    h('a', { href: `#/${view.id}`, 'aria-current': view.id === current ? 'page' : null }, view.title)))));
  session.replaceChildren(
    h('span', {}, `${viewer.displayName} · ${viewer.tenantName} · ${viewer.roles.join(', ')}`),
    h('button', { type: 'button', id: 'sign-out', class: 'secondary', onclick: async () => { await signOut(); showSignedOut('You are signed out.'); } }, 'Sign out'));
}

async function render() {
  const views = allowedViews();
  const { id, params } = route();
  const view = views.find(v => v.id === id) ?? views[0];
  renderChrome(views, view?.id);
  if (!view) {
    main.replaceChildren(h('h1', {}, 'Nothing to show'), h('p', {}, `Your roles (${viewer.roles.join(', ')}) have no view in the console.`));
    return;
  }
  document.title = `${view.title} · Governance console`;
  const heading = h('h1', { tabindex: '-1' }, view.title);
  const container = h('div', { class: 'view', id: `view-${view.id}` });
  main.replaceChildren(heading, container);
  const ctx = { viewer, gql, params, navigate: hash => { location.hash = hash; }, refresh: render };
  try {
    await view.render(container, ctx);
  } catch (error) {
    container.replaceChildren(errorBox(error));
    if (error.codes?.includes('UNAUTHENTICATED')) { forgetToken(); showSignedOut('Your session has ended; sign in again.'); return; }
  }
  main.dataset.ready = view.id;
}

async function start() {
  if (location.pathname === CALLBACK_PATH) {
    try {
      const returnHash = await completeSignIn();
      history.replaceState(null, '', `/console/${returnHash}`);
    } catch (error) {
      history.replaceState(null, '', '/console/');
      showSignedOut(error.message);
      return;
    }
  }
  if (!accessToken()) { showSignedOut(); return; }
  try {
    const { viewer: me } = await gql('query Viewer { viewer { subject tenantId roles executiveId } }');
    // Operators belong to no customer tenant: `tenant` answers customer roles only.
    const tenantName = me.roles.includes('platform-admin') ? 'Platform' : (await gql('query Tenant { tenant { name } }')).tenant.name;
    viewer = { ...me, displayName: nameInToken() ?? me.subject, tenantName };
  } catch (error) {
    forgetToken();
    showSignedOut(`Could not load your account: ${error.message}`);
    return;
  }
  window.addEventListener('hashchange', async () => { await render(); main.querySelector('h1')?.focus(); });
  await render();
}

start();
