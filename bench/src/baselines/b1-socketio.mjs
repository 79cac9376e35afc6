// B1: the plain Socket.IO rooms server of the tutorials: socket.join(room), io.to(room).emit,
// default options, no persistence.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
const httpServer = createServer();
const io = new Server(httpServer);

io.on('connection', (socket) => {
  socket.on('join', (room) => socket.join(room));
  socket.on('chat message', (msg) => io.to(msg.room).emit('chat message', msg));
});
httpServer.listen(port, '127.0.0.1', () => console.log(`listening ${httpServer.address().port}`));
