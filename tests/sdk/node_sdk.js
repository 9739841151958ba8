#!/usr/bin/env node
// Drives a running sandbox with Intercom's official Node SDK (`intercom-client`, the version
// package.json pins) and checks what the SDK parsed, call by call.
//
//   node tests/sdk/node_sdk.js BASE_URL TOKEN [--version V] [--sandbox URL] [--read-back PLAN]
//
// BASE_URL: where the SDK sends its calls (the sandbox, or the conformance proxy in front of
// it). TOKEN: the one token the sandbox accepts (`sandbox serve --token`), so that another
// token gets 401. --version V: send `Intercom-Version: V` (the SDK's `version` option); without
// it the SDK runs as shipped, which sends 2.14. --sandbox URL: the sandbox's own address, for
// its `/_sandbox/stats` hook (default: BASE_URL). The sandbox must be freshly reset (default
// seed). Every request must go to a loopback address: anything else is refused before it is
// sent. The package is found through NODE_PATH (scripts/conformance.sh sets it to the
// node_modules folder that scripts/node-modules prints).
//
// --read-back PLAN: instead of the checks on a fresh sandbox, read back with the SDK what
// `intercom-iac apply` wrote: PLAN is the `plan --format json` that apply ran (on the same
// sandbox, before it), and every ticket type it creates or updates, with its attributes, must
// read back as planned (`ticketTypes.list`, `ticketTypes.get`).
//
// Prints one line per check and exits 1 if any failed (or on a usage error, 2).
'use strict';

const assert = require('node:assert/strict');

let sdk;
try {
  sdk = require('intercom-client');
} catch (e) {
  console.error(`node_sdk.js: FAILED: Intercom's Node SDK (intercom-client) is not installed: ${e.message}\n` +
    '  run through scripts/conformance.sh, or: NODE_PATH="$(scripts/node-modules)" node tests/sdk/node_sdk.js ...');
  process.exit(1);
}
const { IntercomClient, IntercomError, Intercom } = sdk;
const SDK_VERSION = require('intercom-client/package.json').version;
const SHIPPED_VERSION = '2.14'; // what intercom-client sends when no `version` is given

function usage(message) {
  console.error(`node_sdk.js: ${message}\nusage: node_sdk.js BASE_URL TOKEN [--version V] [--sandbox URL] [--read-back PLAN]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const positional = [];
let version = null;
let sandboxUrl = null;
let readBack = null;
while (args.length) {
  const a = args.shift();
  if (a === '--version') version = args.shift() || usage('--version needs a value');
  else if (a === '--sandbox') sandboxUrl = args.shift() || usage('--sandbox needs a value');
  else if (a === '--read-back') readBack = args.shift() || usage('--read-back needs a value');
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else positional.push(a);
}
if (positional.length !== 2) usage('expected BASE_URL and TOKEN');
const [baseUrl, token] = positional;
sandboxUrl = sandboxUrl || baseUrl;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
function loopbackOnly(url) {
  const host = new URL(url).hostname;
  if (!LOOPBACK.has(host)) throw new Error(`refusing to send a request to ${host}: loopback only`);
}
for (const u of [baseUrl, sandboxUrl]) {
  try { loopbackOnly(u); } catch (e) { usage(`${u}: ${e.message}`); }
}

// The SDK's `fetch` option: every request goes through here, which keeps it on loopback and
// records the Intercom-Version header it actually carried.
const sentVersions = new Set();
async function guardedFetch(input, init = {}) {
  const url = typeof input === 'string' ? input : input.url;
  loopbackOnly(url);
  const headers = new Headers(init.headers || (typeof input === 'string' ? undefined : input.headers));
  sentVersions.add(headers.get('intercom-version'));
  return fetch(input, init);
}

function client(tok = token) {
  return new IntercomClient({
    token: tok,
    baseUrl,
    maxRetries: 0,
    timeoutInSeconds: 30,
    fetch: guardedFetch,
    ...(version ? { version } : {}),
  });
}

async function stats() {
  const res = await fetch(new URL('/_sandbox/stats', sandboxUrl));
  assert.equal(res.status, 200, 'GET /_sandbox/stats');
  return res.json();
}

// An SDK call that must fail: returns the SDK's error after checking its class and status.
async function refused(promise, ErrorClass, status, code) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof IntercomError, `expected an IntercomError, got ${e && e.constructor.name}: ${e}`);
    assert.ok(e instanceof ErrorClass, `expected ${ErrorClass.name}, got ${e.constructor.name} (${e.statusCode})`);
    assert.equal(e.statusCode, status);
    assert.equal(e.body && e.body.type, 'error.list', `error body: ${JSON.stringify(e.body)}`);
    if (code) assert.equal(e.body.errors[0].code, code, `error code: ${JSON.stringify(e.body)}`);
    return e;
  }
  assert.fail(`expected ${status}${code ? ` ${code}` : ''}, the call succeeded`);
}

const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push(true);
    console.log(`ok ${results.length} - ${name}`);
  } catch (e) {
    results.push(false);
    console.log(`not ok ${results.length} - ${name}\n  ${String(e && e.stack || e).split('\n').slice(0, 4).join('\n  ')}`);
  }
}

// The attributes of a ticket type as the SDK types them (`TicketTypeAttributeList`).
function ticketAttributes(t) {
  assert.equal(t.ticket_type_attributes.type, 'ticket_type_attributes.list');
  return t.ticket_type_attributes.ticket_type_attributes;
}

// What `intercom-iac apply` wrote, read back: each planned ticket-type write of PLAN.
async function readBackApply(c, planFile) {
  const plan = JSON.parse(require('node:fs').readFileSync(planFile, 'utf8'));
  const changes = plan.changes.filter(ch => ch.address.startsWith('ticket_type['));
  await check(`ticketTypes: ${changes.length} planned ticket-type change(s) read back as applied`, async () => {
    assert.ok(changes.length > 0, 'the plan holds no ticket-type change: nothing to read back');
    const list = await c.ticketTypes.list();
    assert.equal(list.type, 'list');
    for (const ch of changes) {
      const first = ch.ops[0];
      const found = first.op === 'create_ticket_type'
        ? list.data.find(t => t.name === first.name && !t.archived)
        : list.data.find(t => t.id === ch.id);
      assert.ok(found, `${ch.address} is not in ticketTypes.list`);
      const t = await c.ticketTypes.get({ ticket_type_id: found.id });
      for (const op of ch.ops) {
        if (op.op === 'create_ticket_type' || op.op === 'update_ticket_type') {
          for (const key of ['name', 'description', 'category', 'icon', 'archived']) {
            if (key in op) assert.equal(t[key], op[key], `${ch.address}: ${key}`);
          }
        } else if (op.op === 'create_ticket_type_attribute') {
          const a = ticketAttributes(t).find(x => x.name === op.name && !x.archived);
          assert.ok(a, `${ch.address}: attribute ${op.name} was not written`);
          assert.equal(a.default, false);
          assert.equal(String(a.ticket_type_id), t.id);
          for (const key of ['description', 'data_type', 'required_to_create', 'required_to_create_for_contacts',
            'visible_on_create', 'visible_to_contacts']) {
            if (key in op) assert.equal(a[key], op[key], `${ch.address}: ${op.name}.${key}`);
          }
          if ('multiline' in op) assert.equal(a.input_options.multiline, op.multiline);
        } else if (op.op === 'update_ticket_type_attribute') {
          const a = ticketAttributes(t).find(x => x.id === op.id);
          assert.ok(a, `${ch.address}: attribute ${op.id} is gone`);
          for (const key of ['description', 'required_to_create', 'visible_on_create', 'visible_to_contacts', 'archived']) {
            if (key in op) assert.equal(a[key], op[key], `${ch.address}: ${a.name}.${key}`);
          }
        }
      }
      // Intercom's default attributes stay, untouched.
      const defaults = ticketAttributes(t).filter(x => x.default).map(x => x.name).sort();
      assert.deepEqual(defaults, ['_default_description_', '_default_title_']);
    }
  });
  const failed = results.filter(r => !r).length;
  console.log(`node_sdk.js: read-back: ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function main() {
  const c = client();
  if (readBack) return readBackApply(c, readBack);
  const label = version ? `Intercom-Version ${version}` : `as shipped (Intercom-Version ${SHIPPED_VERSION})`;
  console.log(`node_sdk.js: intercom-client ${SDK_VERSION}, ${label}, ${baseUrl}`);
  const state = {};

  // Admins.
  await check('admins.identify: the token acts as alice, with the app', async () => {
    const me = await c.admins.identify();
    assert.equal(me.type, 'admin');
    assert.equal(typeof me.id, 'string');
    assert.equal(me.email, 'alice@example.com');
    assert.equal(me.app.type, 'app');
    assert.equal(me.app.id_code, 'sbx4c0de');
  });
  await check('admins.list: the six seeded admins', async () => {
    const list = await c.admins.list();
    assert.equal(list.type, 'admin.list');
    const emails = list.admins.map(a => a.email).sort();
    assert.deepEqual(emails, ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map(n => `${n}@example.com`));
    assert.ok(list.admins.every(a => typeof a.id === 'string' && Array.isArray(a.team_ids)));
  });

  // Teams.
  await check('teams.list: Support, Sales, Onboarding', async () => {
    const list = await c.teams.list();
    assert.equal(list.type, 'team.list');
    assert.deepEqual(list.teams.map(t => t.name).sort(), ['Onboarding', 'Sales', 'Support']);
    state.support = list.teams.find(t => t.name === 'Support');
  });
  await check('teams.find: Support by id', async () => {
    const team = await c.teams.find({ team_id: state.support.id });
    assert.equal(team.type, 'team');
    assert.equal(team.id, state.support.id);
    assert.equal(team.name, 'Support');
    assert.deepEqual(team.admin_ids, state.support.admin_ids);
  });
  await check('teams.find: an unknown id is a NotFoundError (404)', async () => {
    await refused(c.teams.find({ team_id: '999999' }), Intercom.NotFoundError, 404);
  });

  // Tags.
  await check('tags.list: the seeded tags', async () => {
    const list = await c.tags.list();
    assert.equal(list.type, 'list');
    assert.deepEqual(list.data.map(t => t.name).sort(), ['Beta tester', 'Churn risk', 'VIP']);
    state.vip = list.data.find(t => t.name === 'VIP');
  });
  await check('tags.create: a new tag, then the same name in other case is an upsert', async () => {
    const tag = await c.tags.create({ name: 'node-sdk-tag' });
    assert.equal(tag.type, 'tag');
    assert.equal(typeof tag.id, 'string');
    assert.equal(tag.name, 'node-sdk-tag');
    const again = await c.tags.create({ name: 'NODE-SDK-TAG' });
    assert.equal(again.id, tag.id);
    state.tag = tag;
  });
  await check('tags.list and tags.find: the new tag', async () => {
    const list = await c.tags.list();
    assert.ok(list.data.some(t => t.id === state.tag.id), 'not in tags.list');
    const found = await c.tags.find({ tag_id: state.tag.id });
    assert.equal(found.id, state.tag.id);
    assert.equal(found.name, 'node-sdk-tag');
  });
  await check('tags.delete: the new tag, then tags.find is a NotFoundError (404 not_found)', async () => {
    await c.tags.delete({ tag_id: state.tag.id });
    await refused(c.tags.find({ tag_id: state.tag.id }), Intercom.NotFoundError, 404, 'not_found');
    const list = await c.tags.list();
    assert.ok(!list.data.some(t => t.id === state.tag.id), 'still in tags.list');
  });
  await check('tags.delete: VIP (used by a segment) is refused, 400 tag_has_dependent_objects', async () => {
    await refused(c.tags.delete({ tag_id: state.vip.id }), IntercomError, 400, 'tag_has_dependent_objects');
  });

  // Data attributes.
  await check('dataAttributes.create: a list attribute (options) reads back as string + options', async () => {
    const attr = await c.dataAttributes.create({
      name: 'node_sdk_tier', model: 'contact', data_type: 'options',
      options: [{ value: 'gold' }, { value: 'silver' }],
    });
    assert.equal(attr.type, 'data_attribute');
    assert.equal(typeof attr.id, 'number');
    assert.equal(attr.name, 'node_sdk_tier');
    assert.equal(attr.model, 'contact');
    assert.equal(attr.data_type, 'string');
    assert.deepEqual(attr.options, ['gold', 'silver']);
    assert.equal(attr.custom, true);
    state.tier = attr;
  });
  await check('dataAttributes.create: a plain integer company attribute', async () => {
    const attr = await c.dataAttributes.create({ name: 'node_sdk_seats', model: 'company', data_type: 'integer' });
    assert.equal(attr.data_type, 'integer');
    assert.equal(attr.model, 'company');
    assert.equal(attr.archived, false);
    state.seats = attr;
  });
  await check('dataAttributes.create: a duplicate name (across models) is refused, 400 parameter_invalid', async () => {
    await refused(c.dataAttributes.create({ name: 'node_sdk_tier', model: 'company', data_type: 'string' }),
      Intercom.BadRequestError, 400, 'parameter_invalid');
  });
  await check('dataAttributes.update: new options, then archive with a description', async () => {
    const updated = await c.dataAttributes.update({
      data_attribute_id: state.tier.id,
      body: { options: [{ value: 'gold' }, { value: 'bronze' }] },
    });
    assert.deepEqual(updated.options, ['gold', 'bronze']);
    const archived = await c.dataAttributes.update({
      data_attribute_id: state.seats.id,
      body: { archived: true, description: 'via the Node SDK' },
    });
    assert.equal(archived.archived, true);
    assert.equal(archived.description, 'via the Node SDK');
  });
  await check('dataAttributes.list: per model, archived ones only on request', async () => {
    const contact = await c.dataAttributes.list({ model: 'contact' });
    assert.equal(contact.type, 'list');
    assert.ok(contact.data.every(a => a.model === 'contact'), 'model=contact returned other models');
    assert.ok(contact.data.some(a => a.name === 'email' && a.custom === false), 'no built-in email attribute');
    const tier = contact.data.find(a => a.name === 'node_sdk_tier');
    assert.ok(tier, 'node_sdk_tier not listed');
    assert.deepEqual(tier.options, ['gold', 'bronze']);
    const company = await c.dataAttributes.list({ model: 'company' });
    assert.ok(!company.data.some(a => a.name === 'node_sdk_seats'), 'archived attribute listed without include_archived');
    const all = await c.dataAttributes.list({ model: 'company', include_archived: true });
    assert.ok(all.data.some(a => a.name === 'node_sdk_seats' && a.archived === true), 'archived attribute missing');
  });

  // Segments.
  await check('segments.list (with include_count) and segments.find', async () => {
    const list = await c.segments.list({ include_count: true });
    assert.equal(list.type, 'segment.list');
    assert.deepEqual(list.segments.map(s => s.name).sort(), ['Active trials', 'Churned', 'VIP customers']);
    assert.ok(list.segments.every(s => typeof s.count === 'number'), 'include_count gave no count');
    const first = list.segments[0];
    const found = await c.segments.find({ segment_id: first.id });
    assert.equal(found.type, 'segment');
    assert.equal(found.id, first.id);
    assert.equal(found.name, first.name);
  });

  // Contacts.
  await check('contacts.list: every page through the SDK paginator (per_page 2)', async () => {
    const page = await c.contacts.list({ per_page: 2 });
    const ids = [];
    const contacts = [];
    for await (const contact of page) {
      ids.push(contact.id);
      contacts.push(contact);
    }
    assert.equal(ids.length, 5, `expected the 5 seeded contacts, got ${ids.length}`);
    assert.equal(new Set(ids).size, 5, 'a contact came twice');
    assert.ok(contacts.every(x => x.type === 'contact'));
    state.contact = contacts.find(x => x.external_id);
    assert.ok(state.contact, 'no contact with an external_id');
  });

  // Help center: the seed's collections (one nested) and articles (one draft, two HTML-only).
  await check('helpCenters.collections.list: four collections, Invoices inside Billing', async () => {
    const page = await c.helpCenters.collections.list({ per_page: 2 });
    const all = [];
    for await (const collection of page) all.push(collection);
    assert.deepEqual(all.map(x => x.name).sort(), ['Billing', 'Getting started', 'Invoices', 'Premium support']);
    const billing = all.find(x => x.name === 'Billing');
    const invoices = all.find(x => x.name === 'Invoices');
    assert.equal(invoices.parent_id, billing.id);
    state.invoices = invoices;
  });

  await check('articles.list: five articles, one draft, HTML bodies, nesting by parent_ids', async () => {
    const page = await c.articles.list({ per_page: 2 });
    const all = [];
    for await (const article of page) all.push(article);
    assert.equal(all.length, 5);
    assert.deepEqual(all.filter(a => a.state === 'draft').map(a => a.title), ['Refund policy']);
    const download = all.find(a => a.title === 'Download an invoice');
    assert.equal(String(download.parent_ids[download.parent_ids.length - 1]), state.invoices.id);
    assert.ok(all.every(a => typeof a.body === 'string' && a.body.startsWith('<')));
  });

  await check('articles.create and articles.find: a Markdown article in a nested collection', async () => {
    const me = await c.admins.identify();
    const created = await c.articles.create({
      title: 'Pay by bank transfer', author_id: Number(me.id), state: 'published',
      parent_id: Number(state.invoices.id), parent_type: 'collection',
      body: '<p>Use the IBAN on the invoice.</p>',
    });
    const found = await c.articles.find({ article_id: created.id });
    assert.equal(found.title, 'Pay by bank transfer');
    assert.equal(found.state, 'published');
    assert.equal(found.body, '<p>Use the IBAN on the invoice.</p>');
    assert.equal(String(found.parent_ids[found.parent_ids.length - 1]), state.invoices.id);
  });

  // Events.
  await check('events.create: accepted (202) and counted; the same event again is de-duplicated', async () => {
    const before = await stats();
    const event = {
      user_id: state.contact.external_id,
      event_name: 'node-sdk-signed-up',
      created_at: 1767225600,
      metadata: { plan: 'pro' },
    };
    await c.events.create(event);
    await c.events.create(event);
    const after = await stats();
    assert.equal(after.events_received - before.events_received, 2, 'events_received');
    assert.equal(after.events_deduplicated - before.events_deduplicated, 1, 'events_deduplicated');
    assert.ok('node-sdk-signed-up' in after.event_names, `event_names: ${JSON.stringify(after.event_names)}`);
  });
  await check('events.create: an unknown user is a 404', async () => {
    await refused(c.events.create({ user_id: 'nobody-here', event_name: 'x', created_at: 1767225600 }),
      IntercomError, 404);
  });

  // Away status reasons. intercom-client types the answer as `AwayStatusReason[]`; Intercom's
  // 2.16 description (and the sandbox) answer `{type: "list", data: [...]}`. The SDK does not
  // validate responses at run time, so it hands that object through: checked as 2.16 says.
  await check('awayStatusReasons.listAwayStatusReasons: the four seeded reasons', async () => {
    const answer = await c.awayStatusReasons.listAwayStatusReasons();
    assert.equal(answer.type, 'list');
    assert.deepEqual(answer.data.map(r => r.label), ['On a break', 'In a meeting', 'Out for lunch', 'Focus time']);
    assert.ok(answer.data.every(r => r.type === 'away_status_reason' && typeof r.id === 'string'));
  });

  // Ticket types: the two seeded ones, each with Intercom's default attributes; one created
  // with an attribute and read back.
  await check('ticketTypes: the seeded types with their attributes; create, attributes.create, get', async () => {
    const list = await c.ticketTypes.list();
    assert.equal(list.type, 'list');
    assert.deepEqual(list.data.map(t => `${t.name}/${t.category}`).sort(),
      ['Billing Dispute/Back-office', 'Bug Report/Customer']);
    const bug = list.data.find(t => t.name === 'Bug Report');
    assert.deepEqual(ticketAttributes(bug).map(a => `${a.name}:${a.data_type}:${a.default}`),
      ['_default_title_:string:true', '_default_description_:string:true', 'Severity:list:false',
        'Steps to reproduce:string:false']);
    const created = await c.ticketTypes.create({ name: 'Node SDK type', category: 'Tracker', description: 'From the SDK' });
    await c.ticketTypes.attributes.create({
      ticket_type_id: created.id, name: 'Priority', description: 'How urgent', data_type: 'list',
      list_items: 'Low,High',
    });
    const back = await c.ticketTypes.get({ ticket_type_id: created.id });
    assert.equal(back.category, 'Tracker');
    assert.deepEqual(ticketAttributes(back).map(a => a.name), ['_default_title_', '_default_description_', 'Priority']);
  });

  // IP allowlist (2.14–2.16): the seeded disabled list, a saved one read back, the lock-out 422.
  await check('ipAllowlist: seeded list, update read back, a lock-out refused with 422', async () => {
    const seeded = await c.ipAllowlist.getIpAllowlist();
    assert.equal(seeded.type, 'ip_allowlist');
    assert.equal(seeded.enabled, false);
    assert.deepEqual(seeded.ip_allowlist, ['203.0.113.0/24', '198.51.100.7']);
    await c.ipAllowlist.updateIpAllowlist({ enabled: true, ip_allowlist: ['127.0.0.1', '10.0.0.0/8'] });
    const back = await c.ipAllowlist.getIpAllowlist();
    assert.equal(back.enabled, true);
    assert.deepEqual(back.ip_allowlist, ['127.0.0.1', '10.0.0.0/8']);
    const e = await refused(c.ipAllowlist.updateIpAllowlist({ enabled: true, ip_allowlist: ['192.168.1.0/24'] }),
      IntercomError, 422, 'parameter_invalid');
    assert.match(e.body.errors[0].message, /is not on the allowlist\. Saving would lock you out/);
    await c.ipAllowlist.updateIpAllowlist({ enabled: false, ip_allowlist: seeded.ip_allowlist });
  });

  // Auth.
  await check('a bad token: UnauthorizedError (401 unauthorized) on admins.list and tags.list', async () => {
    const bad = client(`${token}-wrong`);
    await refused(bad.admins.list(), Intercom.UnauthorizedError, 401, 'unauthorized');
    await refused(bad.tags.list(), Intercom.UnauthorizedError, 401, 'unauthorized');
  });

  await check(`every request carried Intercom-Version ${version || SHIPPED_VERSION}`, async () => {
    assert.deepEqual([...sentVersions], [version || SHIPPED_VERSION]);
  });

  const failed = results.filter(r => !r).length;
  console.log(`node_sdk.js: ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(code => process.exit(code), e => {
  console.error(`node_sdk.js: FAILED: ${e && e.stack || e}`);
  process.exit(1);
});
