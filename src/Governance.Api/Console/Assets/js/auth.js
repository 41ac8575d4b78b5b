// Sign-in through the token server: authorization code + PKCE with the public client governance-console.
// The access token lives in sessionStorage: gone with the tab, never sent anywhere but /graphql.

const CLIENT_ID = 'governance-console';
const TOKEN_KEY = 'governance.console.token';
const FLOW_KEY = 'governance.console.flow';
export const CALLBACK_PATH = '/console/callback';

export const redirectUri = () => `${location.origin}${CALLBACK_PATH}`;

function base64Url(bytes) {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomText = length => base64Url(crypto.getRandomValues(new Uint8Array(length)));

/** Sends the browser to /connect/authorize; the person comes back at /console/callback. */
export async function signIn(returnHash = location.hash) {
  const verifier = randomText(32);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const state = randomText(16);
  sessionStorage.setItem(FLOW_KEY, JSON.stringify({ verifier, state, returnHash }));
  const query = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: 'openid profile governance',
    code_challenge: base64Url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
    state,
  });
  location.assign(`/connect/authorize?${query}`);
}

/** At /console/callback: checks state, redeems the code with the verifier, keeps the token; returns the hash to go back to. */
export async function completeSignIn() {
  const query = new URLSearchParams(location.search);
  const flow = JSON.parse(sessionStorage.getItem(FLOW_KEY) ?? 'null');
  sessionStorage.removeItem(FLOW_KEY);
  if (query.get('error')) throw new Error(`The token server refused the sign-in: ${query.get('error_description') ?? query.get('error')}`);
  if (!flow || !query.get('state') || flow.state !== query.get('state')) throw new Error('This sign-in was not started here (state mismatch); sign in again.');
  const response = await fetch('/connect/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      code: query.get('code') ?? '',
      redirect_uri: redirectUri(),
      code_verifier: flow.verifier,
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) throw new Error(`The code was not redeemed: ${body.error_description ?? body.error ?? response.status}`);
  const expiresAt = Date.now() + (Number(body.expires_in ?? 3600) - 30) * 1000;
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify({ accessToken: body.access_token, expiresAt }));
  return flow.returnHash ?? '';
}

/** The access token, or null when none or expired. */
export function accessToken() {
  const stored = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null');
  if (!stored || stored.expiresAt < Date.now()) return null;
  return stored.accessToken;
}

export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

/**
 * Forgets the token and ends the token server's cookie session too (its logout form wants an
 * antiforgery token, read from the sign-in page), so the next sign-in asks for a password again.
 */
export async function signOut() {
  forgetToken();
  try {
    const page = new DOMParser().parseFromString(await (await fetch('/account/login')).text(), 'text/html');
    const field = page.querySelector('input[name="__RequestVerificationToken"]');
    if (field) {
      await fetch('/account/logout', { method: 'POST', redirect: 'manual', body: new URLSearchParams({ [field.name]: field.value }) });
    }
  } catch {
    // The token is gone either way; a lingering cookie only skips the password next time.
  }
}
