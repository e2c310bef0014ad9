// WebSocket echo load: node ws-load.js URL CONNECTIONS IN_FLIGHT SECONDS SIZE text|json deflate|none
// Opens CONNECTIONS WebSockets, keeps IN_FLIGHT messages of SIZE bytes outstanding on each (a new
// one goes out for every echo that comes back) and prints the echoes per second over the last
// SECONDS - 1 seconds (the first second warms up), the echoes of the whole run, and the client's
// own CPU time per echo in microseconds (over the whole run). With "deflate" the client offers
// permessage-deflate with ws's defaults (it compresses messages of 1 KiB and more).
const WebSocket = require('ws');
const [url, connections, inFlight, seconds, size, kind, deflate] = process.argv.slice(2);
const json = n => {
  let s = '[';
  for (let i = 0; s.length < n; i++) {
    s += `{"id":${i},"name":"user${i % 97}","active":${i % 3 === 0},"score":${(i * 7) % 1000}},`;
  }
  return s.slice(0, n);
};
const payload = kind === 'json' ? json(+size) : 'x'.repeat(+size);
let counting = false;
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
      for (const each of sockets) for (let i = 0; i < +inFlight; i++) each.send(payload);
      setTimeout(() => { counting = true; }, 1000);
      setTimeout(() => {
        const cpu = process.cpuUsage(startCpu);
        const perEcho = ((cpu.user + cpu.system) / Math.max(total, 1)).toFixed(2);
        console.log(Math.round(echoes / (seconds - 1)) + ' ' + total + ' ' + perEcho);
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
    ws.send(payload);
  });
  ws.on('error', e => { console.error('error ' + e.message); process.exit(1); });
}
