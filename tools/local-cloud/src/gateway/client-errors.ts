import type { Duplex } from 'node:stream';

/** The answers Node's HTTP server gives a request it cannot parse, by parser error. */
const ANSWERS: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Payload Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/** How long a refused client may go on sending before its connection is cut. */
const DRAIN_MS = 2000;

const answered = new WeakSet<Duplex>();

/**
 * The HTTP server's `clientError` listener: answers as Node does by default (431 for a
 * header block past its 16 KB limit, 400 for what does not parse, ...), but half-closes
 * the connection and reads what the client still sends, instead of destroying it at
 * once. Destroyed with a request still arriving, the socket is reset and the client
 * (undici on Node 22 and later, notably) reports `ECONNRESET` rather than the answer,
 * which is what API Gateway gives it: a status.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // The parser reports every later chunk too: one answer per connection.
  if (answered.has(socket)) return;
  answered.add(socket);
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = ANSWERS[error.code ?? ''] ?? '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.resume();
  setTimeout(() => socket.destroy(), DRAIN_MS).unref();
}
