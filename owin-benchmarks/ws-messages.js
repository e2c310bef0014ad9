// The messages the WebSocket load clients send: node's require('./ws-messages.js')(SIZE, KIND)
// gives 64 strings of SIZE bytes. JSON-like ones ("json") differ from one another as real ones do
// (ids, names, scores), so that a compression context kept between messages gains what it would in
// practice, not a repeat; "text" ones are SIZE times "x".
const json = (n, seed) => {
  let s = '[';
  for (let i = 0; s.length < n; i++) {
    const id = seed * 1000 + i;
    s += `{"id":${id},"name":"user${(id * 7919) % 10007}","active":${(id * 31) % 3 === 0},`;
    s += `"score":${(id * 7727) % 100003}},`;
  }
  return s.slice(0, n);
};
module.exports = (size, kind) => {
  const messages = [];
  for (let seed = 0; seed < 64; seed++) {
    messages.push(kind === 'json' ? json(size, seed) : 'x'.repeat(size));
  }
  return messages;
};
