#!/usr/bin/env node
// Reads back, with Intercom's official Node SDK (`intercom-client`), the help center that
// `intercom-iac apply` wrote from a configuration directory's `help_center/` folder, and checks
// it against the files: every collection by its path of names (nesting through `parent_id`,
// description), every article by its collection and title (state, description, the collection
// it sits in through `parent_ids`, and its Markdown body, normalised as intercom-iac does:
// `\r\n` → `\n`, trailing blanks per line, one final newline); and the translations, which the
// SDK exposes as `translated_content`: each `<slug>.<locale>.md` (title, state, description,
// body) and each collection's `translated_content` (name, description). A relative link to
// another article's file is expected as that article's `url`.
//
//   node tests/sdk/node_sdk_help_center.js BASE_URL TOKEN CONFIG_DIR
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
  console.error(`node_sdk_help_center.js: FAILED: intercom-client is not installed: ${e.message}`);
  process.exit(1);
}
const { IntercomClient } = sdk;

const [baseUrl, token, configDir] = process.argv.slice(2);
if (!baseUrl || !token || !configDir) {
  console.error('usage: node_sdk_help_center.js BASE_URL TOKEN CONFIG_DIR');
  process.exit(2);
}
if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(baseUrl).hostname)) {
  console.error(`node_sdk_help_center.js: refusing ${baseUrl}: loopback only`);
  process.exit(2);
}

function normalize(text) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map(l => l.replace(/[ \t]+$/, ''));
  const joined = lines.join('\n').replace(/\n+$/, '');
  return joined === '' ? '' : `${joined}\n`;
}

// The words of an HTML body and of a Markdown one, for an article whose HTML was kept.
function textOfHtml(html) {
  return html.replace(/<\/?(p|h[1-6]|li|ul|ol|br)\b[^>]*>/g, ' ').replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ').trim();
}
function textOfMarkdown(md) {
  return md.replace(/^\s*(#+|[-*]|\d+\.)\s+/gm, '').replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
}

function scalar(raw) {
  const v = raw.trim();
  return v.startsWith('"') ? JSON.parse(v) : v;
}

// Reads `---\nkey: value\n---\nbody` into { front, body }.
function readArticle(file) {
  const text = fs.readFileSync(file, 'utf8');
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  assert.ok(m, `${file}: no front matter`);
  const front = {};
  for (const line of m[1].split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) front[line.slice(0, i).trim()] = scalar(line.slice(i + 1));
  }
  return { front, body: m[2] };
}

// `<slug>.<locale>.md`: a translation of `<slug>.md` (as intercom-iac reads file names).
const TRANSLATION = /^(.+)\.([A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?)\.md$/;

// A `_collection.yaml`'s `translated_content` (two-space indentation, as the example writes it).
function translatedContent(text) {
  const out = {};
  let inside = false;
  let locale = null;
  for (const line of text.split(/\r?\n/)) {
    if (/^translated_content:\s*$/.test(line)) { inside = true; continue; }
    if (!inside) continue;
    let m;
    if ((m = /^  ([^\s:]+):\s*$/.exec(line))) { locale = m[1]; out[locale] = {}; continue; }
    if ((m = /^    (name|description):(.*)$/.exec(line)) && locale) { out[locale][m[1]] = scalar(m[2]); continue; }
    if (/^\S/.test(line)) inside = false;
  }
  return out;
}

// The declared tree: collections by path, articles with their collection's path, translations.
function declared(root) {
  const collections = new Map();
  const articles = [];
  const translations = [];
  function walk(dir, names) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        const here = [...names, entry.name];
        const meta = path.join(full, '_collection.yaml');
        let description = null;
        let translated = {};
        if (fs.existsSync(meta)) {
          const text = fs.readFileSync(meta, 'utf8');
          const m = /^description:(.*)$/m.exec(text);
          if (m) description = scalar(m[1]);
          translated = translatedContent(text);
        }
        collections.set(here.join('/'), { names: here, description, translated });
        walk(full, here);
      } else if (TRANSLATION.test(entry.name)) {
        const [, stem, locale] = TRANSLATION.exec(entry.name);
        translations.push({ of: path.join(dir, `${stem}.md`), locale, file: full, ...readArticle(full) });
      } else if (entry.name.endsWith('.md')) {
        articles.push({ collection: names.join('/'), file: full, ...readArticle(full) });
      }
    }
  }
  walk(path.join(root, 'help_center'), []);
  return { collections, articles, translations };
}

// The live article of each default-locale file (by absolute path), once matched.
const liveByFile = new Map();

// The URL a relative link from a file in `locale` (null: the default) to `file` is sent as:
// `x.<l>.md` is x's `l` translation; `x.md` is x in the linking file's locale when x has that
// translation, else x itself.
function urlOf(file, locale) {
  const m = TRANSLATION.exec(path.basename(file));
  const of = m ? path.join(path.dirname(file), `${m[1]}.md`) : file;
  const live = liveByFile.get(of);
  if (!live) return undefined;
  const content = l => live.translated_content && live.translated_content[l];
  if (m) return content(m[2]) && content(m[2]).url;
  return (locale && content(locale) && content(locale).url) || live.url;
}

// The Markdown a file's body is sent as: each relative link to another article's file becomes
// that article's Intercom URL in the right locale (the anchor kept), as intercom-iac sends it.
function withUrls(w, locale) {
  return w.body.replace(/\]\(([^)\s]+?\.md)(#[^)\s]*)?\)/g, (all, rel, anchor) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(rel)) return all;
    const url = urlOf(path.resolve(path.dirname(w.file), decodeURI(rel)), locale);
    assert.ok(url, `${w.file}: the link to ${rel} names no article of the configuration`);
    return `](${url}${anchor || ''})`;
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
  const want = declared(configDir);
  const collections = [];
  const articles = [];

  await check('helpCenters.collections.list and articles.list: every page', async () => {
    for await (const x of await c.helpCenters.collections.list({ per_page: 2 })) collections.push(x);
    for await (const x of await c.articles.list({ per_page: 3 })) articles.push(x);
    assert.ok(collections.length >= want.collections.size, `${collections.length} collections`);
  });

  const byId = new Map(collections.map(x => [String(x.id), x]));
  const pathOf = x => {
    const names = [];
    for (let at = x; at; at = at.parent_id == null ? null : byId.get(String(at.parent_id))) {
      names.unshift(at.name);
      if (names.length > 64) break;
    }
    return names.join('/');
  };
  const collectionByPath = new Map(collections.map(x => [pathOf(x), x]));

  await check(`collections: the ${want.collections.size} folders, nested by parent_id`, async () => {
    for (const [key, w] of want.collections) {
      const got = collectionByPath.get(key);
      assert.ok(got, `no collection at ${key}; Intercom has ${[...collectionByPath.keys()].join(', ')}`);
      assert.equal(got.name, w.names[w.names.length - 1]);
      if (w.names.length > 1) {
        const parent = collectionByPath.get(w.names.slice(0, -1).join('/'));
        assert.equal(String(got.parent_id), String(parent.id), `${key}: parent_id`);
      } else {
        assert.equal(got.parent_id ?? null, null, `${key}: a top-level collection has no parent`);
      }
      if (w.description !== null) assert.equal(got.description, w.description, `${key}: description`);
    }
  });

  await check(`articles: the ${want.articles.length} Markdown files, with title, state, collection and body`, async () => {
    const found = [];
    for (const w of want.articles) {
      const parent = collectionByPath.get(w.collection);
      assert.ok(parent, `${w.file}: no collection ${w.collection}`);
      const matches = articles.filter(a => a.title === w.front.title &&
        a.parent_ids && a.parent_ids.length && String(a.parent_ids[a.parent_ids.length - 1]) === String(parent.id));
      assert.equal(matches.length, 1, `${w.file}: ${matches.length} articles titled ${w.front.title} in ${w.collection}`);
      found.push([w, matches[0]]);
    }
    for (const [w, got] of found) liveByFile.set(path.resolve(w.file), got);
    let linked = 0;
    for (const [w, got] of found) {
      const sent = withUrls(w, null);
      if (sent !== w.body) linked += 1;
      w.body = sent;
      if (w.front.state) assert.equal(got.state, w.front.state, `${w.file}: state`);
      if (w.front.description) assert.equal(got.description, w.front.description, `${w.file}: description`);
      assert.ok(typeof got.body === 'string' && got.body.length > 0, `${w.file}: HTML body`);
      if (typeof got.body_markdown === 'string') {
        assert.equal(normalize(got.body_markdown), normalize(w.body), `${w.file}: body`);
      } else {
        // Written in Intercom's editor and equal once converted, so never sent: its text.
        assert.equal(textOfHtml(got.body), textOfMarkdown(w.body), `${w.file}: body text`);
      }
    }
    assert.ok(linked > 0, 'the example links one article to another');
  });

  const translatedCollections = [...want.collections].filter(([, w]) => Object.keys(w.translated).length);
  await check(`collections: the ${translatedCollections.length} translated_content of _collection.yaml`, async () => {
    assert.ok(translatedCollections.length > 0, 'the example translates a collection');
    for (const [key, w] of translatedCollections) {
      const got = collectionByPath.get(key);
      assert.ok(got && got.translated_content, `${key}: no translated_content`);
      for (const [locale, t] of Object.entries(w.translated)) {
        const content = got.translated_content[locale];
        assert.ok(content, `${key}: no ${locale} content`);
        assert.equal(content.name, t.name, `${key}: ${locale} name`);
        if (t.description !== undefined) assert.equal(content.description, t.description, `${key}: ${locale} description`);
      }
    }
  });

  await check(`articles: the ${want.translations.length} translations, in translated_content`, async () => {
    assert.ok(want.translations.length > 0, 'the example translates an article');
    for (const t of want.translations) {
      const of = want.articles.find(w => w.file === t.of);
      assert.ok(of, `${t.file}: no ${t.of}`);
      const parent = collectionByPath.get(of.collection);
      const got = articles.find(a => a.title === of.front.title &&
        a.parent_ids && String(a.parent_ids[a.parent_ids.length - 1]) === String(parent.id));
      assert.ok(got, `${t.file}: no article ${of.front.title}`);
      const content = got.translated_content && got.translated_content[t.locale];
      assert.ok(content, `${t.file}: no ${t.locale} in translated_content`);
      assert.equal(content.title, t.front.title, `${t.file}: title`);
      if (t.front.state) assert.equal(content.state, t.front.state, `${t.file}: state`);
      if (t.front.description) assert.equal(content.description, t.front.description, `${t.file}: description`);
      assert.equal(normalize(content.body_markdown), normalize(withUrls(t, t.locale)), `${t.file}: body`);
    }
  });

  await check('articles: exactly one draft, as declared', async () => {
    const drafts = want.articles.filter(w => w.front.state === 'draft').map(w => w.front.title);
    const titles = new Set(want.articles.map(w => w.front.title));
    const got = articles.filter(a => titles.has(a.title) && a.state === 'draft').map(a => a.title);
    assert.deepEqual(got.sort(), drafts.sort());
    assert.equal(drafts.length, 1);
  });

  console.log(failures ? `node_sdk_help_center.js: ${failures} check(s) FAILED` : 'node_sdk_help_center.js: OK');
  process.exit(failures ? 1 : 0);
}

main().catch(e => {
  console.error(`node_sdk_help_center.js: FAILED: ${e.stack || e}`);
  process.exit(1);
});
