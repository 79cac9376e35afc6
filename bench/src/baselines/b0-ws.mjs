// B0: a raw `ws` server, the practical limit for Node. Each broadcast frame is built once and
// written to every member of the room; permessage-deflate off.
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
const rooms = new Map();
const wss = new WebSocketServer({ port, host: '127.0.0.1', perMessageDeflate: false });

wss.on('connection', (ws) => {
  const joined = new Set();
  ws.on('message', (data) => {
    let msg;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (msg.t === 'join' && typeof msg.room === 'string') {
      if (!rooms.has(msg.room)) rooms.set(msg.room, new Set());
      rooms.get(msg.room).add(ws);
      joined.add(msg.room);
    } else if (msg.t === 'msg' && joined.has(msg.room)) {
      const frame = JSON.stringify({ t: 'msg', room: msg.room, text: msg.text });
      for (const member of rooms.get(msg.room)) member.send(frame);
    }
  });
  ws.on('close', () => {
    for (const room of joined) rooms.get(room)?.delete(ws);
  });
});
wss.on('listening', () => console.log(`listening ${wss.address().port}`));
