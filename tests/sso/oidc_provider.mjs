// A local OpenID provider for the single sign-on tests and the README's demo: npm's
// oidc-provider (a certified implementation), listening on 127.0.0.1 only.
//
//   node tests/sso/oidc_provider.mjs --port 9000 --client-id leerportaal \
//     --client-secret geheim --redirect-uri http://127.0.0.1:8000/accounts/oidc/gemeente-utrecht/login/callback/ \
//     --account deelnemer@demo.example
//
// It prints one line `READY <issuer>` when it listens (port 0 picks a free port). Signing in
// is a form that asks which account to be (no password: this is a test provider); consent is
// given by the provider itself, as an organisation's own provider does for its own portal.
// Tests change the accounts while it runs with `PUT /_test/accounts` (a JSON object of
// account id -> claims: email, email_verified, given_name, family_name, amr, acr) and sign in
// without a browser by `POST /interaction/<uid>` with `account=<id>`.
import http from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'client-id': { type: 'string', default: 'leerportaal' },
    'client-secret': { type: 'string', default: 'leerportaal-test-secret' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
    account: { type: 'string', multiple: true, default: [] },
  },
});

// Accounts given on the command line: verified e-mail, signed in with a password and an
// authenticator app (what an organisation's Entra ID or ADFS reports with MFA on).
let accounts = Object.fromEntries(
  options.account.map((email) => [
    email,
    {
      email,
      email_verified: true,
      given_name: email.split('@')[0].split('.')[0],
      family_name: 'Demo',
      amr: ['pwd', 'otp'],
      acr: 'urn:leerportaal:test:mfa',
    },
  ]),
);

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const server = http.createServer();
server.listen(Number(options.port), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options['client-id'],
        client_secret: options['client-secret'],
        redirect_uris: options['redirect-uri'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    // How the person authenticated (amr, acr) goes with the openid scope: the portal
    // records it when the organisation enforces two factors.
    claims: {
      openid: ['sub', 'amr', 'acr'],
      email: ['email', 'email_verified', 'xms_edov'],
      profile: ['given_name', 'family_name', 'name'],
      auth_time: null,
      sid: null,
      iss: null,
    },
    // The ID token carries the claims too, not only the userinfo endpoint.
    conformIdTokenClaims: false,
    acrValues: ['urn:leerportaal:test:mfa', 'urn:leerportaal:test:password'],
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => false },
    cookies: { keys: ['leerportaal-test-provider-cookie-key'] },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          const { amr, acr, ...claims } = account;
          const name = [claims.given_name, claims.family_name].filter(Boolean).join(' ');
          return { sub: id, name, ...claims };
        },
      };
    },
  });
  provider.proxy = false;

  async function interaction(req, res, uid) {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      const choices = Object.keys(accounts)
        .map((id) => `<option value="${escape(id)}">${escape(accounts[id].email || id)}</option>`)
        .join('');
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>Testaccount kiezen</title></head><body><main>
<h1>Inloggen bij de test-identityprovider</h1>
<p>Dit is een lokale testprovider zonder wachtwoorden.</p>
<form method="post" action="/interaction/${escape(uid)}">
<label for="account">Account</label> <select id="account" name="account">${choices}</select>
<button type="submit">Inloggen</button></form></main></body></html>`);
      return;
    }
    const body = new URLSearchParams(await readBody(req));
    const accountId = body.get('account');
    const account = accounts[accountId];
    if (!account) {
      res.statusCode = 400;
      res.end('unknown account');
      return;
    }
    const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const result = {
      login: { accountId, ...(account.amr ? { amr: account.amr } : {}), ...(account.acr ? { acr: account.acr } : {}) },
      consent: { grantId: await grant.save() },
    };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    try {
      const url = new URL(req.url, issuer);
      const match = url.pathname.match(/^\/interaction\/([A-Za-z0-9_-]+)$/);
      if (url.pathname === '/_test/accounts' && req.method === 'PUT') {
        accounts = JSON.parse(await readBody(req));
        res.end('ok');
      } else if (match) {
        await interaction(req, res, match[1]);
      } else {
        callback(req, res);
      }
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  console.log(`READY ${issuer}`);
});

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

process.on('SIGTERM', () => process.exit(0));
