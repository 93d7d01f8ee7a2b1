// An S3 server for the tests: @20minutes/s3rver (pinned in package.json), which checks SigV4
// signatures on headers and on presigned query strings, on a free port of 127.0.0.1 with its
// data in a fresh temporary folder and one bucket.
//
//   node tests/support/s3_server.mjs start STATE.json   starts it in the background, waits until it
//                                                        answers, writes STATE.json, exits 0
//   node tests/support/s3_server.mjs stop STATE.json    stops it and removes its folder
//   node tests/support/s3_server.mjs serve STATE.json   runs it in the foreground (what start runs)
//   node tests/support/s3_server.mjs sdk-get STATE.json KEY
//                                     reads KEY (the whole S3 key) with the official AWS SDK
//                                     (@aws-sdk/client-s3) and prints {"size", "sha256", "etag",
//                                     "content_type"}: the tests check what our adapter wrote
//
// STATE.json: {"pid", "port", "endpoint", "vhost_endpoint", "bucket", "access_key_id",
// "secret_access_key", "folder"}. CTest runs start and stop as the fixture "s3_server".
//
// Virtual-hosted style: s3rver's service endpoint is "localhost", so a request to
// http://<bucket>.s3.localhost:<port>/key (which libcurl resolves to loopback) names the bucket
// in its host.
//
// AbortMultipartUpload: s3rver 5.0.0 does not implement it (DELETE ?uploadId answers
// MethodNotAllowed). For a request that s3rver authenticated (a valid signature), this script
// does what S3 does: it removes the upload's parts and answers 204 (404 NoSuchUpload when there is
// no such upload). The parts live in <folder>/<bucket>/._S3rver_uploads/<uploadId>/.
//
// Atomic objects: S3 never serves part of a PUT, but s3rver 5.0.0 writes an object's file in
// place and its MD5 and metadata files after it, so a GET racing a PUT of the same key can get a
// mix (the contract suite's ConcurrentOverwritesAreNeverSeenHalfDone catches that). This script
// gives s3rver S3's guarantee: requests on one object key take a per-key read-write lock, PUTs
// (and multipart completions, and deletes) alone, GETs and HEADs together, held until the answer
// has been sent.
//
// Faults on demand: a request whose key has a segment "fault-<status>x<n>" (fault-503x2) is
// answered <status> (503 SlowDown, 500 InternalError, 429 SlowDown ...) the first <n> times that
// method and path are asked, then served normally: retries can be tested on a real server.
//
// Presigned query values, encoded as S3 does: s3rver 5.0.0 puts a v4 query's values into its
// canonical request with encodeURIComponent (lib/middleware/authentication.js), which leaves
// !'()* as they are, where S3 and the AWS SDKs encode them (RFC 3986, as for the path). A URL
// signed the AWS way with any of them in a value, as a download name in RFC 5987 form
// (filename*=UTF-8''...) has, was refused SignatureDoesNotMatch by s3rver alone (checked with
// @smithy/signature-v4's own URLs). This process serves nothing but s3rver, which calls
// encodeURIComponent nowhere else: the strict encoder is put in its place here.
//
// The test clock: a request carrying "x-imagesprint-test-now: <ms since the epoch>" has its
// presigned query's expiry checked against that time instead of the server's clock (only the
// expiry: the signature is checked as always). The contract suite moves time by hand; this lets
// its follow() ask S3 whether a link is still valid at the suite's "now". Requests without the
// header use the real clock.
import { spawn } from 'node:child_process'
import { AsyncLocalStorage } from 'node:async_hooks'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const BUCKET = 'imagesprint-test'
const ACCESS_KEY_ID = 'S3RVER'
const SECRET_ACCESS_KEY = 'S3RVER'
const START_WAIT_MS = 30_000
const STOP_WAIT_MS = 10_000
const POLL_MS = 50

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function serve(stateFile) {
  const looseEncode = globalThis.encodeURIComponent
  globalThis.encodeURIComponent = (text) =>
    looseEncode(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  const S3rver = require('@20minutes/s3rver')
  const v4 = require('@20minutes/s3rver/lib/signature/v4')
  const testNow = new AsyncLocalStorage()
  const realParseQuery = v4.parseQuery
  v4.parseQuery = (query) => {
    const now = testNow.getStore()
    if (now === undefined) return realParseQuery(query)
    // parseQuery reads the time with `new Date()`, synchronously: swap Date for this call only.
    const RealDate = globalThis.Date
    globalThis.Date = class extends RealDate {
      constructor(...args) {
        if (args.length === 0) super(now)
        else super(...args)
      }
      static now() {
        return now
      }
    }
    try {
      return realParseQuery(query)
    } finally {
      globalThis.Date = RealDate
    }
  }

  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'imagesprint-s3rver-'))
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: folder,
    serviceEndpoint: 'localhost',
    configureBuckets: [{ name: BUCKET }],
  })
  server.middleware.unshift((ctx, next) => {
    const header = ctx.get('x-imagesprint-test-now')
    if (!header) return next()
    return testNow.run(Number(header), next)
  })
  server.middleware.unshift(async (ctx, next) => {
    try {
      await next()
    } catch (err) {
      const uploadId = ctx.query.uploadId
      if (ctx.method !== 'DELETE' || !uploadId || err.code !== 'MethodNotAllowed' || !ctx.state.account) {
        throw err
      }
      const uploads = path.join(folder, ctx.params.bucket ?? BUCKET, '._S3rver_uploads')
      const upload = path.join(uploads, path.basename(uploadId))
      if (!fs.existsSync(upload)) {
        ctx.status = 404
        ctx.type = 'application/xml'
        ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code></Error>'
        return
      }
      fs.rmSync(upload, { recursive: true, force: true })
      ctx.status = 204
    }
  })
  const locks = new Map() // bucket/key -> { readers, writer, waiting: [resolve] }
  const lockFor = (name) => {
    let lock = locks.get(name)
    if (!lock) {
      lock = { readers: 0, writer: false, waiting: [] }
      locks.set(name, lock)
    }
    return lock
  }
  const acquire = async (name, exclusive) => {
    // Looked up again after each wait: a released lock with no one left is dropped from the map.
    let lock = lockFor(name)
    while (lock.writer || (exclusive && lock.readers > 0)) {
      await new Promise((resolve) => lock.waiting.push(resolve))
      lock = lockFor(name)
    }
    if (exclusive) lock.writer = true
    else lock.readers += 1
    return () => {
      if (exclusive) lock.writer = false
      else lock.readers -= 1
      const waiting = lock.waiting.splice(0)
      for (const wake of waiting) wake()
      if (!lock.writer && lock.readers === 0 && lock.waiting.length === 0) locks.delete(name)
    }
  }
  server.middleware.unshift(async (ctx, next) => {
    // Object requests only: /<bucket>/<key...> path-style (the only style s3rver verifies).
    const slash = ctx.path.indexOf('/', 1)
    if (slash < 0 || slash === ctx.path.length - 1) return next()
    const uploadPart = ctx.method === 'PUT' && 'uploadId' in ctx.query
    const exclusive = ['PUT', 'POST', 'DELETE'].includes(ctx.method) && !uploadPart
    const release = await acquire(ctx.path, exclusive)
    let released = false
    const once = () => {
      if (!released) {
        released = true
        release()
      }
    }
    ctx.res.once('finish', once)
    ctx.res.once('close', once)
    try {
      await next()
    } catch (err) {
      once()
      throw err
    }
  })
  const faults = new Map() // "METHOD path" -> times answered with the fault so far
  const FAULT_CODES = { 429: 'SlowDown', 500: 'InternalError', 502: 'BadGateway', 503: 'SlowDown' }
  server.middleware.unshift(async (ctx, next) => {
    const match = /\/fault-(\d{3})x(\d+)(\/|$)/.exec(ctx.path)
    if (!match) return next()
    const [status, times] = [Number(match[1]), Number(match[2])]
    const name = `${ctx.method} ${ctx.path}`
    const seen = faults.get(name) ?? 0
    if (seen >= times) return next()
    faults.set(name, seen + 1)
    ctx.req.resume() // drop the body
    ctx.status = status
    if (ctx.method !== 'HEAD') {
      ctx.type = 'application/xml'
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${FAULT_CODES[status] ?? 'Fault'}</Code><Message>injected by the test server</Message></Error>`
    }
  })
  const { port } = await server.run()
  const stop = async () => {
    await server.close()
    fs.rmSync(folder, { recursive: true, force: true })
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  const state = {
    pid: process.pid,
    port,
    endpoint: `http://127.0.0.1:${port}`,
    vhost_endpoint: `http://s3.localhost:${port}`,
    bucket: BUCKET,
    access_key_id: ACCESS_KEY_ID,
    secret_access_key: SECRET_ACCESS_KEY,
    folder,
  }
  fs.writeFileSync(`${stateFile}.tmp`, JSON.stringify(state))
  fs.renameSync(`${stateFile}.tmp`, stateFile)
}

async function start(stateFile) {
  if (fs.existsSync(stateFile)) {
    const old = JSON.parse(fs.readFileSync(stateFile, 'utf8'))
    if (isAlive(old.pid)) process.kill(old.pid, 'SIGTERM')
    fs.rmSync(stateFile)
  }
  fs.mkdirSync(path.dirname(path.resolve(stateFile)), { recursive: true })
  const log = fs.openSync(`${stateFile}.log`, 'w')
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, 'serve', stateFile], {
    detached: true,
    stdio: ['ignore', log, log],
  })
  child.unref()
  for (let waited = 0; waited < START_WAIT_MS; waited += POLL_MS) {
    if (fs.existsSync(stateFile)) {
      const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'))
      const answer = await fetch(`${state.endpoint}/`).catch(() => undefined)
      if (answer) {
        console.log(`s3rver ${state.endpoint} (pid ${state.pid}), bucket ${state.bucket}`)
        return
      }
    }
    if (child.exitCode !== null) break
    await sleep(POLL_MS)
  }
  console.error(`s3rver did not start; its log:\n${fs.readFileSync(`${stateFile}.log`, 'utf8')}`)
  if (isAlive(child.pid)) process.kill(child.pid, 'SIGTERM')
  process.exit(1)
}

async function stop(stateFile) {
  if (!fs.existsSync(stateFile)) return
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'))
  if (isAlive(state.pid)) {
    process.kill(state.pid, 'SIGTERM')
    for (let waited = 0; waited < STOP_WAIT_MS && isAlive(state.pid); waited += POLL_MS) {
      await sleep(POLL_MS)
    }
    if (isAlive(state.pid)) process.kill(state.pid, 'SIGKILL')
  }
  fs.rmSync(state.folder, { recursive: true, force: true })
  fs.rmSync(stateFile, { force: true })
}

async function sdkGet(stateFile, key) {
  const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3')
  const { createHash } = require('node:crypto')
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'))
  const client = new S3Client({
    endpoint: state.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: state.access_key_id, secretAccessKey: state.secret_access_key },
  })
  const answer = await client.send(new GetObjectCommand({ Bucket: state.bucket, Key: key }))
  const bytes = await answer.Body.transformToByteArray()
  console.log(
    JSON.stringify({
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      etag: answer.ETag.replaceAll('"', ''),
      content_type: answer.ContentType ?? '',
    })
  )
  client.destroy()
}

const [command, stateFile, argument] = process.argv.slice(2)
const commands = { start, stop, serve, 'sdk-get': (file) => sdkGet(file, argument) }
if (!stateFile || !(command in commands)) {
  console.error('usage: node s3_server.mjs start|stop|serve STATE.json | sdk-get STATE.json KEY')
  process.exit(2)
}
await commands[command](stateFile)
