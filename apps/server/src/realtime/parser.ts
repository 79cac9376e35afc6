import * as parser from 'socket.io-parser';

/**
 * Socket.IO's parser with one rule more: Parley's protocol is JSON only, so a binary frame or a
 * packet announcing binary attachments is a protocol violation, refused at once. Socket.IO closes
 * a connection whose decoder throws. Without this, a client could start a BINARY_EVENT and keep
 * the server holding its half-built packet for as long as it answers pings.
 */
class JsonOnlyDecoder extends parser.Decoder {
  override add(chunk: unknown): void {
    if (typeof chunk !== 'string') throw new Error('binary data is not part of the protocol');
    const type = chunk.charCodeAt(0) - 48;
    if (type === parser.PacketType.BINARY_EVENT || type === parser.PacketType.BINARY_ACK) {
      throw new Error('binary packets are not part of the protocol');
    }
    super.add(chunk);
  }
}

export const jsonOnlyParser = { ...parser, Decoder: JsonOnlyDecoder };
