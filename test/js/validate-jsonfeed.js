#!/usr/bin/env node
// Validates JSON Feed documents against the JSON Feed 1.1 schema
// (npm package jsonfeed-schema, schema-v1.1.json) with ajv and ajv-formats,
// plus the 1.1 rules the schema cannot express for our feeds: the version is
// 1.1, feed_url and home_page_url are present, and item ids are unique.
//
// Usage: node validate-jsonfeed.js FILE...
// Prints one line per invalid file and exits 1 when any file is invalid.
'use strict'

const fs = require('fs')
const Ajv = require('ajv')
const addFormats = require('ajv-formats')
const schema = require('jsonfeed-schema/v1.1')

const ajv = new Ajv({ allErrors: true, strict: false })
addFormats(ajv)
const validate = ajv.compile(schema)

function problems (doc) {
  const out = []
  if (!validate(doc)) {
    for (const e of validate.errors) out.push(`${e.instancePath || '/'} ${e.message}`)
  }
  if (doc && typeof doc === 'object') {
    if (doc.version !== 'https://jsonfeed.org/version/1.1') out.push(`/version is ${JSON.stringify(doc.version)}, want 1.1`)
    if (!doc.feed_url) out.push('/feed_url missing')
    if (!doc.home_page_url) out.push('/home_page_url missing')
    const seen = new Set()
    for (const [i, it] of (Array.isArray(doc.items) ? doc.items : []).entries()) {
      if (it && seen.has(it.id)) out.push(`/items/${i}/id ${JSON.stringify(it.id)} repeated`)
      if (it) seen.add(it.id)
    }
  }
  return out
}

const files = process.argv.slice(2)
if (files.length === 0) {
  console.error('usage: node validate-jsonfeed.js FILE...')
  process.exit(2)
}
let bad = 0
for (const f of files) {
  let doc
  try {
    doc = JSON.parse(fs.readFileSync(f, 'utf8'))
  } catch (err) {
    console.log(`${f}: not JSON: ${err.message}`)
    bad++
    continue
  }
  const p = problems(doc)
  if (p.length > 0) {
    console.log(`${f}: ${p.join('; ')}`)
    bad++
  }
}
console.log(`checked ${files.length} file(s), ${bad} invalid`)
process.exit(bad > 0 ? 1 : 0)
