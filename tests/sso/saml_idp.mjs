// A SAML 2.0 identity provider for the single sign-on tests: npm's samlify (HTTP-Redirect
// AuthnRequest in, HTTP-POST Response out, the assertion signed with xml-crypto), listening
// on 127.0.0.1 only.
//
//   node tests/sso/saml_idp.mjs --port 0 --key idp.key --cert idp.crt \
//     --sp-entity-id http://testserver/accounts/saml/gemeente-utrecht/metadata/ \
//     --acs-url http://testserver/accounts/saml/gemeente-utrecht/acs/
//
// It prints `READY <base url>` once it listens; its entity id is `<base url>/metadata` and its
// single sign-on service `<base url>/sso`. `PUT /_test/scenario` sets what the next answers
// hold (JSON): `email`, `given_name`, `family_name`, `authn_context`, and to misbehave
// `audience` (another audience than the portal's) or `expired: true` (an assertion whose
// validity ended an hour ago). GET /sso answers with the auto-submitting form a browser posts
// to the portal.
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

import samlify from 'samlify';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    key: { type: 'string' },
    cert: { type: 'string' },
    'sp-entity-id': { type: 'string' },
    'acs-url': { type: 'string' },
  },
});

// AuthnRequests are read, not schema-checked: the portal (python3-saml) writes them.
samlify.setSchemaValidator({ validate: () => Promise.resolve('skipped') });

const PASSWORD_PROTECTED = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';
let scenario = { email: 'medewerker@utrecht.example', authn_context: PASSWORD_PROTECTED };

const RESPONSE_TEMPLATE = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{ID}" Version="2.0" IssueInstant="{IssueInstant}" Destination="{Destination}" InResponseTo="{InResponseTo}"><saml:Issuer>{Issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="{AssertionID}" Version="2.0" IssueInstant="{IssueInstant}"><saml:Issuer>{Issuer}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{NameID}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{NotOnOrAfter}" Recipient="{Recipient}" InResponseTo="{InResponseTo}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{NotBefore}" NotOnOrAfter="{NotOnOrAfter}"><saml:AudienceRestriction><saml:Audience>{Audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{IssueInstant}" SessionIndex="{AssertionID}"><saml:AuthnContext><saml:AuthnContextClassRef>{AuthnContext}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement><!--attributes--></saml:AttributeStatement></saml:Assertion></samlp:Response>`;

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function attribute(name, value) {
  if (!value) return '';
  return `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue>${escape(value)}</saml:AttributeValue></saml:Attribute>`;
}

const server = http.createServer();
server.listen(Number(options.port), '127.0.0.1', () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const idp = samlify.IdentityProvider({
    entityID: `${base}/metadata`,
    privateKey: fs.readFileSync(options.key),
    signingCert: fs.readFileSync(options.cert),
    singleSignOnService: [
      { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: `${base}/sso` },
    ],
    nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
    loginResponseTemplate: { context: RESPONSE_TEMPLATE },
  });
  const sp = samlify.ServiceProvider({
    entityID: options['sp-entity-id'],
    wantAssertionsSigned: true,
    assertionConsumerService: [
      { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: options['acs-url'] },
    ],
  });

  async function singleSignOn(req, res, url) {
    const request = await idp.parseLoginRequest(sp, 'redirect', {
      query: Object.fromEntries(url.searchParams),
      octetString: url.search.slice(1),
    });
    const now = Date.now();
    const shift = scenario.expired ? -60 * 60 * 1000 : 0;
    const at = (ms) => new Date(now + shift + ms).toISOString();
    const replace = (template) => {
      const values = {
        ID: idp.entitySetting.generateID(),
        AssertionID: idp.entitySetting.generateID(),
        IssueInstant: at(0),
        Destination: options['acs-url'],
        Recipient: options['acs-url'],
        InResponseTo: request.extract.request.id,
        Issuer: `${base}/metadata`,
        NameID: scenario.email || '',
        NotBefore: at(-60 * 1000),
        NotOnOrAfter: at(5 * 60 * 1000),
        Audience: scenario.audience || options['sp-entity-id'],
        AuthnContext: scenario.authn_context || PASSWORD_PROTECTED,
      };
      // replaceTagsByValue escapes every value, so the attributes (XML) go in after it.
      const attributes =
        attribute('urn:oid:0.9.2342.19200300.100.1.3', scenario.email) +
        attribute('urn:oid:2.5.4.42', scenario.given_name) +
        attribute('urn:oid:2.5.4.4', scenario.family_name);
      const context = samlify.SamlLib.replaceTagsByValue(template, values)
        .replace('<!--attributes-->', attributes);
      return { id: values.ID, context };
    };
    const response = await idp.createLoginResponse(
      sp,
      request,
      'post',
      { email: scenario.email },
      replace,
      false,
      url.searchParams.get('RelayState') || '',
    );
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Doorsturen</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="${escape(response.entityEndpoint)}">
<input type="hidden" name="SAMLResponse" value="${escape(response.context)}">
<input type="hidden" name="RelayState" value="${escape(response.relayState || '')}">
<noscript><button type="submit">Doorgaan</button></noscript></form></body></html>`);
  }

  server.on('request', async (req, res) => {
    try {
      const url = new URL(req.url, base);
      if (url.pathname === '/_test/scenario' && req.method === 'PUT') {
        scenario = JSON.parse(await readBody(req));
        res.end('ok');
      } else if (url.pathname === '/metadata') {
        res.setHeader('Content-Type', 'application/samlmetadata+xml');
        res.end(idp.getMetadata());
      } else if (url.pathname === '/sso') {
        await singleSignOn(req, res, url);
      } else {
        res.statusCode = 404;
        res.end('not found');
      }
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error && error.stack ? error.stack : error));
    }
  });
  console.log(`READY ${base}`);
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
