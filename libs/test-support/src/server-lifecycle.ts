import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts listening and resolves once bound; rejects with the listen error (e.g. EADDRINUSE)
 * instead of letting it surface as an unhandled 'error' event.
 */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Closes a server and every connection it holds. `close()` alone waits for keep-alive
 * sockets to go idle, which would let a "stopped" emulator keep answering its clients.
 *
 * @param close the close function to use; defaults to the server's own.
 */
export function closeServer(
  server: Server,
  close: (callback: (error?: Error) => void) => void = (callback) => server.close(callback),
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** Whether an error is Node's "address already in use". */
export function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}
