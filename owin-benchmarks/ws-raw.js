// WebSocket echo load on raw sockets, for a client that costs little beside the server:
//   node ws-raw.js URL CONNECTIONS IN_FLIGHT SECONDS SIZE text|json deflate|none
// The same load as ws-load.js (the same 64 messages in turn, see ws-messages.js, IN_FLIGHT of them
// outstanding on each of CONNECTIONS, a new one for every echo) and the same output: the echoes per
// second over the last SECONDS - 1 seconds (all of them for runs of 2 seconds or less), the echoes
// of the whole run, the client's CPU time per echo in microseconds; then how many echoes came
// compressed and how many were inflated and compared.
//
// What it does instead of a WebSocket library's work per message:
// - Handshake: with "deflate" it offers "permessage-deflate; client_max_window_bits", as browsers
//   do, and checks the answer (101, Sec-WebSocket-Accept, the extension accepted or not).
// - Sending: every frame is built once before the run, masked with a mask of its own. With
//   compression negotiated, a message of 1 KiB or more (ws's threshold) is deflated once, each with
//   a fresh raw deflate stream, sync flush, "00 00 ff ff" dropped, RSV1 set. A message that
//   references nothing before it inflates the same whatever context takeover or window the server
//   negotiated for the client, so the frames are valid for any answer (window bits below 15 are
//   honoured by building the frames with that window).
// - Receiving: only frame headers are parsed; payloads are skipped. Every echo is checked for its
//   opcode, unmasked frames, RSV bits (RSV1 only with compression, on the first frame only) and
//   length (an uncompressed echo is exactly SIZE bytes, a compressed one more than nothing and no
//   more than SIZE plus deflate's framing). The first connection also inflates every compressed
//   echo of its own (one raw inflate stream for the connection, so a server that keeps its context
//   between messages is read right too) and compares each echo with the message it answers: one
//   echo in CONNECTIONS is inflated, on every server alike.
// Any failed check ends the run with exit status 1.
'use strict';
const net = require('net');
const zlib = require('zlib');
const crypto = require('crypto');
const [url, connections, inFlight, seconds, size, kind, deflate] = process.argv.slice(2);
const target = new URL(url);
const messages = require('./ws-messages.js')(+size, kind).map(m => Buffer.from(m));
const offer = deflate === 'deflate';
const THRESHOLD = 1024;
const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
// The most a compressed echo may take: SIZE plus a stored block's framing per 16 KiB and a flush.
const maxCompressed = +size + 5 * (Math.ceil(+size / 16384) + 2);

const fail = why => {
  console.error('ws-raw: ' + why);
  process.exit(1);
};

/** A masked text frame of PAYLOAD, whole in one frame, RSV1 set when COMPRESSED. */
const frame = (payload, compressed) => {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const out = Buffer.alloc(2 + lengthBytes + 4 + length);
  out[0] = 0x81 | (compressed ? 0x40 : 0);
  let at = 2;
  if (lengthBytes === 0) {
    out[1] = 0x80 | length;
  } else if (lengthBytes === 2) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(length, 2);
    at = 4;
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(length), 2);
    at = 10;
  }
  const mask = crypto.randomBytes(4);
  mask.copy(out, at);
  at += 4;
  for (let i = 0; i < length; i++) out[at + i] = payload[i] ^ mask[i & 3];
  return out;
};

// The frames for each way a handshake may end: key "plain" or the client's window bits.
const frameSets = new Map();
const framesFor = windowBits => {
  const key = windowBits === 0 ? 'plain' : String(windowBits);
  let frames = frameSets.get(key);
  if (frames === undefined) {
    frames = messages.map(message => {
      if (windowBits === 0 || message.length < THRESHOLD) return frame(message, false);
      const deflated = zlib.deflateRawSync(message, {
        windowBits,
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      });
      if (!deflated.subarray(deflated.length - 4).equals(TAIL)) fail('deflate did not end in a sync flush');
      return frame(deflated.subarray(0, deflated.length - 4), true);
    });
    frameSets.set(key, frames);
  }
  return frames;
};

/** The client's window bits the server's answer allows: 0 without compression. */
const negotiated = extensions => {
  if (!offer || extensions === undefined) return 0;
  const accepted = extensions.split(',').map(e => e.trim()).find(e => e.startsWith('permessage-deflate'));
  if (accepted === undefined) return 0;
  const bits = /client_max_window_bits\s*=\s*"?(\d+)/.exec(accepted);
  const windowBits = bits ? +bits[1] : 15;
  // zlib's raw deflate cannot make 8-bit windows.
  if (windowBits < 9 || windowBits > 15) fail('server asks for client_max_window_bits=' + windowBits);
  return windowBits;
};

const warm = seconds > 2 ? 1 : 0;
let counting = warm === 0;
let startCpu;
let echoes = 0;
let total = 0;
let compressedEchoes = 0;
let verified = 0;
let extensionsSeen = 'none';
let next = 0;
let open = 0;
const sockets = [];

class Connection {
  constructor(index) {
    this.verifying = index === 0;
    this.frames = null;
    this.socket = null;
    this.handshake = Buffer.alloc(0);
    this.key = crypto.randomBytes(16).toString('base64');
    // Frame parsing: header bytes kept from the chunk before, payload bytes still to skip.
    this.head = null;
    this.skip = 0;
    this.fin = false;
    this.control = false;
    // The message being received.
    this.compressed = false;
    this.length = 0;
    this.inMessage = false;
    // The first connection only: the messages in flight, in order, and what the echo held.
    this.sent = [];
    this.parts = [];
    this.inflater = null;
    this.inflated = [];
    this.checks = Promise.resolve();
  }

  connect() {
    const socket = net.connect({ host: target.hostname, port: +target.port, noDelay: true });
    this.socket = socket;
    socket.on('connect', () => {
      socket.setNoDelay(true);
      socket.write(
        `GET ${target.pathname}${target.search} HTTP/1.1\r\n` +
          `Host: ${target.host}\r\n` +
          'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Key: ${this.key}\r\nSec-WebSocket-Version: 13\r\n` +
          (offer ? 'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n' : '') +
          '\r\n');
    });
    socket.on('data', chunk => (this.frames === null ? this.handshaking(chunk) : this.received(chunk)));
    socket.on('error', e => fail('connection error: ' + e.message));
    socket.on('close', () => fail('the server closed a connection'));
  }

  handshaking(chunk) {
    this.handshake = Buffer.concat([this.handshake, chunk]);
    const end = this.handshake.indexOf('\r\n\r\n');
    if (end < 0) return;
    const lines = this.handshake.subarray(0, end).toString('latin1').split('\r\n');
    const rest = this.handshake.subarray(end + 4);
    this.handshake = null;
    if (!/^HTTP\/1\.1 101/.test(lines[0])) fail('handshake answered ' + lines[0]);
    const headers = new Map();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers.set(name, headers.has(name) ? headers.get(name) + ', ' + value : value);
    }
    const accept = crypto.createHash('sha1').update(this.key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    if (headers.get('sec-websocket-accept') !== accept) fail('wrong Sec-WebSocket-Accept');
    const extensions = headers.get('sec-websocket-extensions');
    const windowBits = negotiated(extensions);
    this.frames = framesFor(windowBits);
    this.deflate = windowBits > 0;
    if (this.verifying) extensionsSeen = extensions || 'none';
    if (this.verifying && this.deflate) {
      this.inflater = zlib.createInflateRaw();
      this.inflater.on('data', data => this.inflated.push(data));
      this.inflater.on('error', e => fail('an echo does not inflate: ' + e.message));
    }
    if (rest.length > 0) fail('the server sent a frame before the client did');
    if (++open === +connections) start();
  }

  send(count) {
    const socket = this.socket;
    socket.cork();
    for (let i = 0; i < count; i++) {
      const index = next++ & 63;
      if (this.verifying) this.sent.push(index);
      socket.write(this.frames[index]);
    }
    socket.uncork();
  }

  received(chunk) {
    if (this.head !== null) {
      chunk = Buffer.concat([this.head, chunk]);
      this.head = null;
    }
    let at = 0;
    let arrived = 0;
    const end = chunk.length;
    if (this.skip > 0) {
      const n = Math.min(this.skip, end);
      if (this.verifying && !this.control) this.parts.push(chunk.subarray(0, n));
      this.skip -= n;
      at = n;
      if (this.skip === 0 && this.frameEnded()) arrived++;
    }
    while (at < end) {
      if (end - at < 2) break;
      const b0 = chunk[at];
      const b1 = chunk[at + 1];
      let length = b1 & 0x7f;
      let header = 2;
      if (length === 126) {
        if (end - at < 4) break;
        length = chunk.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (end - at < 10) break;
        length = Number(chunk.readBigUInt64BE(at + 2));
        header = 10;
      }
      this.frameStarted(b0, b1, length);
      at += header;
      const n = Math.min(length, end - at);
      if (this.verifying && !this.control && n > 0) this.parts.push(chunk.subarray(at, at + n));
      at += n;
      this.skip = length - n;
      if (this.skip === 0 && this.frameEnded()) arrived++;
    }
    if (at < end) this.head = Buffer.from(chunk.subarray(at));
    if (arrived > 0) {
      total += arrived;
      if (counting) echoes += arrived;
      this.send(arrived);
    }
  }

  frameStarted(b0, b1, length) {
    const opcode = b0 & 0x0f;
    if (b1 & 0x80) fail('the server masked a frame');
    if (b0 & 0x30) fail('RSV2 or RSV3 set on a frame');
    this.fin = (b0 & 0x80) !== 0;
    this.control = opcode >= 8;
    if (this.control) {
      if (opcode === 8) fail('the server sent a close');
      if (b0 & 0x40) fail('RSV1 set on a control frame');
      return;
    }
    if (opcode === 0) {
      if (!this.inMessage) fail('a continuation frame without a message');
      if (b0 & 0x40) fail('RSV1 set on a continuation frame');
    } else {
      if (this.inMessage) fail('a new message before the last one ended');
      if (opcode !== 1) fail('an echo of opcode ' + opcode + ', sent text');
      this.inMessage = true;
      this.compressed = (b0 & 0x40) !== 0;
      if (this.compressed && !this.deflate) fail('RSV1 set without compression negotiated');
      this.length = 0;
    }
    this.length += length;
  }

  /** A frame's payload is over: true when it ended an echo. */
  frameEnded() {
    if (this.control || !this.fin) return false;
    this.inMessage = false;
    if (this.compressed) {
      compressedEchoes++;
      if (this.length === 0 || this.length > maxCompressed) fail('a compressed echo of ' + this.length + ' bytes, sent ' + size);
    } else if (this.length !== +size) {
      fail('an echo of ' + this.length + ' bytes, sent ' + size);
    }
    if (this.verifying) this.verify();
    return true;
  }

  verify() {
    const expected = messages[this.sent.shift()];
    const payload = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = [];
    if (!this.compressed) {
      if (!payload.equals(expected)) fail('an echo differs from the message it answers');
      verified++;
      return;
    }
    // Copied: the socket's chunk is not ours once this returns.
    const input = Buffer.concat([payload, TAIL]);
    this.checks = this.checks.then(
      () =>
        new Promise(resolve => {
          this.inflater.write(input);
          this.inflater.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            const inflated = Buffer.concat(this.inflated);
            this.inflated = [];
            if (!inflated.equals(expected)) fail('an echo inflates to something else than the message it answers');
            verified++;
            resolve();
          });
        }));
  }
}

function start() {
  startCpu = process.cpuUsage();
  for (const each of sockets) each.send(+inFlight);
  setTimeout(() => { counting = true; }, warm * 1000);
  setTimeout(() => {
    const cpu = process.cpuUsage(startCpu);
    const perEcho = ((cpu.user + cpu.system) / Math.max(total, 1)).toFixed(2);
    console.log(`${Math.round(echoes / (seconds - warm))} ${total} ${perEcho} ${compressedEchoes} ${verified}`);
    if (process.env.WS_RAW_VERBOSE) console.error('extensions: ' + extensionsSeen);
    process.exit(0);
  }, seconds * 1000);
}

for (let c = 0; c < +connections; c++) {
  const connection = new Connection(c);
  sockets.push(connection);
  connection.connect();
}
