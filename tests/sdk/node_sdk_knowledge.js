#!/usr/bin/env node
// Reads back what `intercom-iac apply` wrote from a configuration directory's
// `internal_articles/` and `content_snippets/` folders, and checks it against the files:
// internal articles with Intercom's official Node SDK (`intercom-client`, whose
// `internalArticles.listInternalArticles` covers them): title, author and owner (by e-mail,
// through `admins.list`) and the Markdown body; content snippets, which the SDK does not cover,
// over plain HTTP (`GET /content_snippets`): title, locale and Markdown body. Bodies are
// normalised as intercom-iac does (`\r\n` → `\n`, trailing blanks per line, one final newline)
// after the environment's `${NAME}` variables, given as NAME=VALUE, are substituted.
//
//   node tests/sdk/node_sdk_knowledge.js BASE_URL TOKEN CONFIG_DIR [NAME=VALUE ...]
//
// Run by scripts/conformance.sh right after its apply of examples/acme. Loopback only. The
// front matter is read with a small `key: value` reader (plain or double-quoted scalars), which
// is all the example uses; the package is found through NODE_PATH.
//
// Prints one line per check and exits 1 if any failed (or on a usage error, 2).
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

let sdk;
try {
  sdk = require('intercom-client');
} catch (e) {
  console.error(`node_sdk_knowledge.js: FAILED: intercom-client is not installed: ${e.message}`);
  process.exit(1);
}
const { IntercomClient } = sdk;

const [baseUrl, token, configDir, ...assignments] = process.argv.slice(2);
if (!baseUrl || !token || !configDir) {
  console.error('usage: node_sdk_knowledge.js BASE_URL TOKEN CONFIG_DIR [NAME=VALUE ...]');
  process.exit(2);
}
if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(baseUrl).hostname)) {
  console.error(`node_sdk_knowledge.js: refusing ${baseUrl}: loopback only`);
  process.exit(2);
}
const variables = new Map(assignments.map(a => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));

function normalize(text) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map(l => l.replace(/[ \t]+$/, ''));
  const joined = lines.join('\n').replace(/\n+$/, '');
  return joined === '' ? '' : `${joined}\n`;
}

function substitute(text) {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name) => {
    assert.ok(variables.has(name), `variable ${name} not given`);
    return variables.get(name);
  });
}

function scalar(raw) {
  const v = raw.trim();
  return v.startsWith('"') ? JSON.parse(v) : v;
}

// The Markdown files of one folder as { file, front, body }.
function documents(folder) {
  const dir = path.join(configDir, folder);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter(n => n.endsWith('.md')).sort().map(name => {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
    assert.ok(m, `${file}: no front matter`);
    const front = {};
    for (const line of m[1].split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i > 0) front[line.slice(0, i).trim()] = substitute(scalar(line.slice(i + 1)));
    }
    return { file, front, body: substitute(m[2]) };
  });
}

let failures = 0;
async function check(name, f) {
  try {
    await f();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures += 1;
    console.log(`FAIL ${name}\n     ${String(e.message).split('\n').join('\n     ')}`);
  }
}

async function main() {
  const c = new IntercomClient({ token, baseUrl, maxRetries: 0, timeoutInSeconds: 30, version: '2.16' });
  const articles = documents('internal_articles');
  const snippets = documents('content_snippets');

  await check(`internalArticles: the ${articles.length} Markdown files, with title, author, owner and body`, async () => {
    assert.ok(articles.length > 0, 'the configuration declares no internal article');
    const list = await c.internalArticles.listInternalArticles();
    const admins = (await c.admins.list()).admins;
    const email = id => (admins.find(a => String(a.id) === String(id)) || {}).email;
    for (const w of articles) {
      const matches = list.data.filter(a => a.title === w.front.title);
      assert.equal(matches.length, 1, `${w.file}: ${matches.length} internal articles titled ${w.front.title}`);
      const got = matches[0];
      if (w.front.author) assert.equal(email(got.author_id), w.front.author, `${w.file}: author`);
      if (w.front.owner) assert.equal(email(got.owner_id), w.front.owner, `${w.file}: owner`);
      assert.equal(typeof got.body_markdown, 'string', `${w.file}: body_markdown`);
      assert.equal(normalize(got.body_markdown), normalize(w.body), `${w.file}: body`);
    }
  });

  await check(`content snippets (plain HTTP): the ${snippets.length} Markdown files, with title, locale and body`, async () => {
    assert.ok(snippets.length > 0, 'the configuration declares no content snippet');
    const reply = await fetch(`${baseUrl.replace(/\/$/, '')}/content_snippets?per_page=50`, {
      headers: { Authorization: `Bearer ${token}`, 'Intercom-Version': '2.16', Accept: 'application/json' },
    });
    assert.equal(reply.status, 200);
    const list = await reply.json();
    for (const w of snippets) {
      const matches = list.data.filter(s => s.title === w.front.title);
      assert.equal(matches.length, 1, `${w.file}: ${matches.length} snippets titled ${w.front.title}`);
      const got = matches[0];
      if (w.front.locale) assert.equal(got.locale, w.front.locale, `${w.file}: locale`);
      assert.equal(normalize(got.body_markdown), normalize(w.body), `${w.file}: body`);
    }
  });

  console.log(failures ? `node_sdk_knowledge.js: ${failures} check(s) FAILED` : 'node_sdk_knowledge.js: OK');
  process.exit(failures ? 1 : 0);
}

main().catch(e => {
  console.error(`node_sdk_knowledge.js: FAILED: ${e.stack || e}`);
  process.exit(1);
});
