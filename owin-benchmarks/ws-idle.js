// Idle WebSockets: node ws-idle.js URL CONNECTIONS [exit|hold]
// Opens CONNECTIONS WebSockets that offer permessage-deflate, sends one 4 KiB JSON-like message on
// each (compressed) and waits for its echo, prints "ready N EXTENSIONS" and then keeps every
// connection open and silent until stdin closes (with "exit", leaves at once; with "hold", until it
// is killed).
const WebSocket = require('ws');
const [url, connections, exit] = process.argv.slice(2);
let payload = '[';
for (let i = 0; payload.length < 4096; i++) payload += `{"id":${i},"name":"user${i % 97}"},`;
payload = payload.slice(0, 4096);
let done = 0;
let extensions = '';
const sockets = [];
const openOne = () => {
  const ws = new WebSocket(url, { perMessageDeflate: true });
  sockets.push(ws);
  ws.on('open', () => { extensions = ws.extensions; ws.send(payload); });
  ws.on('message', () => {
    if (++done === +connections) {
      console.log('ready ' + done + ' ' + (extensions || 'none'));
      if (exit === 'exit') process.exit(0);
    } else if (sockets.length < +connections) {
      openOne();
    }
  });
  ws.on('error', e => { console.error('error ' + e.message); process.exit(1); });
};
// A few at a time, so that the server's accept queue never overflows.
for (let i = 0; i < Math.min(50, +connections); i++) openOne();
if (exit === 'hold') {
  setInterval(() => {}, 1 << 30);
} else if (exit !== 'exit') {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
