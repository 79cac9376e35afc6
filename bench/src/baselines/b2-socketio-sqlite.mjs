// B2: B1 plus SQLite persistence and an ack per message, as the official Socket.IO tutorial
// (steps 7-8) does: one INSERT per message, a unique client offset, then emit, then ack.
import { createServer } from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
const dataDir = process.argv[3] ?? '.';
const db = new Database(path.join(dataDir, 'b2.db'));
db.exec(`CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT, client_offset TEXT UNIQUE, content TEXT)`);
const insert = db.prepare('INSERT INTO messages (client_offset, content) VALUES (?, ?)');

const httpServer = createServer();
const io = new Server(httpServer);

io.on('connection', (socket) => {
  socket.on('join', (room) => socket.join(room));
  socket.on('chat message', (msg, clientOffset, callback) => {
    let result;
    try {
      result = insert.run(clientOffset, msg.text);
    } catch (e) {
      if (e.code === 'SQLITE_CONSTRAINT_UNIQUE') callback?.();
      return;
    }
    io.to(msg.room).emit('chat message', msg, result.lastInsertRowid.toString());
    callback?.();
  });
});
httpServer.listen(port, '127.0.0.1', () => console.log(`listening ${httpServer.address().port}`));
