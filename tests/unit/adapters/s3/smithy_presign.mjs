// Presigns each request of a JSON file with the npm @smithy/signature-v4 signer (the AWS SDK's
// own, pinned in package.json) and prints the URLs as a JSON array, in order. Used by
// presign_smithy_test.cpp to check our hand-written presigning against it.
//
//   node smithy_presign.mjs CASES.json
//   CASES.json: [{"method", "protocol": "http:", "hostname", "port" (number or null), "path"
//                (as sent, percent-encoded), "query": {name: value}, "host" (the Host header),
//                "region", "access_key_id", "secret_access_key", "session_token" ("" for none),
//                "signing_time_ms", "expires_in"}]
import { createHash, createHmac } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const { SignatureV4 } = require('@smithy/signature-v4')

class Sha256 {
  constructor(secret) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256')
  }
  update(data) {
    this.hash.update(data)
  }
  async digest() {
    return new Uint8Array(this.hash.digest())
  }
}

// RFC 3986, as SigV4 encodes query values (encodeURIComponent leaves !'()* alone).
const encode = (text) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const urls = []
for (const c of cases) {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: c.access_key_id,
      secretAccessKey: c.secret_access_key,
      ...(c.session_token ? { sessionToken: c.session_token } : {}),
    },
    region: c.region,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false, // S3: the path is signed as sent, not encoded again
    applyChecksum: false,
  })
  // As @aws-sdk/s3-request-presigner does: the payload is UNSIGNED-PAYLOAD, and that header is
  // neither hoisted into the query nor signed.
  const presigned = await signer.presign(
    {
      method: c.method,
      protocol: c.protocol,
      hostname: c.hostname,
      port: c.port ?? undefined,
      path: c.path,
      query: c.query,
      headers: { host: c.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    },
    {
      signingDate: new Date(c.signing_time_ms),
      expiresIn: c.expires_in,
      unhoistableHeaders: new Set(['x-amz-content-sha256']),
      unsignableHeaders: new Set(['x-amz-content-sha256']),
    }
  )
  const query = Object.entries(presigned.query)
    .map(([name, value]) => `${encode(name)}=${encode(value)}`)
    .join('&')
  const port = presigned.port ? `:${presigned.port}` : ''
  urls.push(`${presigned.protocol}//${presigned.hostname}${port}${presigned.path}?${query}`)
}
process.stdout.write(JSON.stringify(urls))
