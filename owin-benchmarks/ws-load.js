// WebSocket echo load: node ws-load.js URL CONNECTIONS IN_FLIGHT SECONDS SIZE text|json deflate|none
// Opens CONNECTIONS WebSockets, keeps IN_FLIGHT messages of SIZE bytes outstanding on each (a new
// one goes out for every echo that comes back; JSON-like ones are 64 different messages in turn,
// see ws-messages.js) and prints the echoes per second over the last SECONDS - 1 seconds (the
// first second warms up; runs of 2 seconds or less count it all), the echoes of the whole run, and
// the client's own CPU time per echo in microseconds (over the whole run). With "deflate" the
// client offers permessage-deflate with ws's defaults (it compresses messages of 1 KiB and more,
// and inflates every compressed echo). ws-raw.js is the same load without the library's costs.
const WebSocket = require('ws');
const [url, connections, inFlight, seconds, size, kind, deflate] = process.argv.slice(2);
// The messages: 64 different ones in turn (ws-messages.js).
const payloads = require('./ws-messages.js')(+size, kind);
const payload = payloads[0];
let next = 0;
const nextPayload = () => payloads[next++ & 63];
// Runs of two seconds or less count from the start.
const warm = seconds > 2 ? 1 : 0;
let counting = warm === 0;
let startCpu;
let echoes = 0;
let total = 0;
let open = 0;
const sockets = [];
for (let c = 0; c < +connections; c++) {
  const ws = new WebSocket(url, { perMessageDeflate: deflate === 'deflate' });
  sockets.push(ws);
  ws.on('open', () => {
    if (++open === +connections) {
      startCpu = process.cpuUsage();
      for (const each of sockets) for (let i = 0; i < +inFlight; i++) each.send(nextPayload());
      setTimeout(() => { counting = true; }, warm * 1000);
      setTimeout(() => {
        const cpu = process.cpuUsage(startCpu);
        const perEcho = ((cpu.user + cpu.system) / Math.max(total, 1)).toFixed(2);
        console.log(Math.round(echoes / (seconds - warm)) + ' ' + total + ' ' + perEcho);
        process.exit(0);
      }, seconds * 1000);
    }
  });
  ws.on('message', data => {
    if (data.length !== payload.length) {
      console.error('echo of ' + data.length + ' bytes, sent ' + payload.length);
      process.exit(1);
    }
    total++;
    if (counting) echoes++;
    ws.send(nextPayload());
  });
  ws.on('error', e => { console.error('error ' + e.message); process.exit(1); });
}
