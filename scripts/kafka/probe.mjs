#!/usr/bin/env node
// Readiness probes used by scripts/brokers.sh. No dependencies: works before `npm ci`.
//
//   node probe.mjs kafka 127.0.0.1:9092   -> a real Metadata request; succeeds once the
//                                            broker answers it with at least one broker
//   node probe.mjs amqp  127.0.0.1:5672   -> AMQP 0-9-1 protocol header; succeeds once the
//                                            server answers with connection.start. If amqplib
//                                            is installed in the repo, also logs in as
//                                            guest/guest and opens a channel.
//
// Exit 0 = ready, 1 = not ready (reason on stderr). Each probe is bounded by a timeout.
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const [mode, target = '', timeoutArg = '3000'] = process.argv.slice(2);
const [host, portStr] = target.split(':');
const port = Number(portStr);
const timeoutMs = Number(timeoutArg);

function fail(msg) {
  process.stderr.write(`${mode} probe ${target}: ${msg}\n`);
  process.exit(1);
}

const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
timer.unref();

/** Sends length-prefixed Kafka requests over one socket; resolves each response body. */
function kafkaConnection() {
  const sock = net.connect({ host, port });
  let buf = Buffer.alloc(0);
  const waiting = [];
  sock.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
      const size = buf.readInt32BE(0);
      const frame = buf.subarray(4, 4 + size);
      buf = buf.subarray(4 + size);
      waiting.shift()?.resolve(frame);
    }
  });
  sock.on('error', (err) => waiting.splice(0).forEach((w) => w.reject(err)));
  sock.on('close', () => waiting.splice(0).forEach((w) => w.reject(new Error('connection closed'))));
  let correlationId = 0;
  return {
    /** header v1: api_key, api_version, correlation_id, client_id */
    request(apiKey, apiVersion, body) {
      const clientId = Buffer.from('otel-instrument-probe');
      const header = Buffer.alloc(10);
      header.writeInt16BE(apiKey, 0);
      header.writeInt16BE(apiVersion, 2);
      header.writeInt32BE(++correlationId, 4);
      header.writeInt16BE(clientId.length, 8);
      const payload = Buffer.concat([header, clientId, body]);
      const size = Buffer.alloc(4);
      size.writeInt32BE(payload.length, 0);
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        sock.write(Buffer.concat([size, payload]));
      });
    },
    close: () => sock.destroy(),
  };
}

async function probeKafka() {
  const conn = kafkaConnection();
  try {
    // ApiVersions v0 (every broker answers it, even with UNSUPPORTED_VERSION + its own list).
    const av = await conn.request(18, 0, Buffer.alloc(0));
    // correlation_id(4) error_code(2) [api_key(2) min(2) max(2)]
    const count = av.readInt32BE(6);
    let range;
    for (let i = 0, off = 10; i < count; i++, off += 6) {
      if (av.readInt16BE(off) === 3) range = [av.readInt16BE(off + 2), av.readInt16BE(off + 4)];
    }
    if (!range) fail('broker does not list the Metadata API');
    // Non-flexible Metadata versions 1..8 have a simple layout; pick the highest both sides know.
    const version = Math.min(range[1], 8);
    if (version < Math.max(range[0], 1)) fail(`no common Metadata version (broker ${range})`);
    const body = [Buffer.from([0, 0, 0, 0])]; // topics: empty array (= no topics, none created)
    if (version >= 4) body.push(Buffer.from([0])); // allow_auto_topic_creation=false
    if (version >= 8) body.push(Buffer.from([0, 0])); // include_*_authorized_operations=false
    const md = await conn.request(3, version, Buffer.concat(body));
    // correlation_id(4) [throttle_time_ms(4) if v>=3] brokers: int32 count ...
    const brokers = md.readInt32BE(version >= 3 ? 8 : 4);
    if (brokers < 1) fail('metadata lists no broker yet');
  } catch (err) {
    fail(err.message);
  } finally {
    conn.close();
  }
}

async function probeAmqp() {
  await new Promise((resolve) => {
    const sock = net.connect({ host, port }, () => sock.write(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1')));
    sock.once('data', (chunk) => {
      sock.destroy();
      // frame type 1 (method), class 10 (connection), method 10 (start)
      if (chunk[0] === 1 && chunk.readUInt16BE(7) === 10 && chunk.readUInt16BE(9) === 10) resolve();
      else fail(`unexpected answer ${chunk.subarray(0, 12).toString('hex')}`);
    });
    sock.on('error', (err) => fail(err.message));
  });
  // Full login with the real client when the repo's dev dependencies are installed.
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  let amqp;
  try {
    amqp = createRequire(path.join(repoRoot, 'package.json'))('amqplib');
  } catch {
    return;
  }
  try {
    const conn = await amqp.connect(`amqp://guest:guest@${host}:${port}`);
    const ch = await conn.createChannel();
    await ch.close();
    await conn.close();
  } catch (err) {
    fail(`amqplib login as guest failed: ${err.message}`);
  }
}

if (!host || !port) fail('usage: probe.mjs kafka|amqp host:port [timeoutMs]');
if (mode === 'kafka') await probeKafka();
else if (mode === 'amqp') await probeAmqp();
else fail(`unknown mode ${mode}`);
process.exit(0);
