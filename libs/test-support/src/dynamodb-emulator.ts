// The emulators ship no types. Every program compiling this library (the tests, the local
// cloud, the integration suite) must see the declarations too, and an untyped module can
// only be declared by a script file, which `import` cannot pull in.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./emulator-modules.d.ts" />
import { Server } from 'node:http';
import { addTransactions } from './dynamodb-transactions';
import { ManagedService } from './managed-service';
import { closeServer, listen } from './server-lifecycle';

/** Options of {@link createDynamoDbEmulator}. */
export interface DynamoDbEmulatorOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /** LevelDB folder; in memory when undefined. */
  readonly directory?: string | undefined;
}

/**
 * DynamoDB emulated by dynalite, on a port the OS picks at its first start. Tables become
 * ACTIVE at once (no 500 ms CREATING phase), so creating one does not wait.
 *
 * Stopping only closes the listener, so a stopped and restarted emulator keeps its data,
 * in memory too. Dynalite's own `close()` also closes the database and reopens a fresh one
 * on the next `listen()`, which would drop an in-memory store's data; it is used once, on
 * dispose, to flush and release the LevelDB folder.
 *
 * dynalite knows no transactions; `TransactWriteItems` and `TransactGetItems` are answered
 * in front of it (see {@link addTransactions}).
 *
 * dynalite is loaded on the first start: importing this library for something else (a
 * Lambda context, EMF capture) does not pay for it.
 */
export function createDynamoDbEmulator(options: DynamoDbEmulatorOptions = {}): ManagedService {
  const host = options.host ?? '127.0.0.1';
  let server: Server | undefined;
  const closeListenerOnly =
    (listening: Server) =>
    (callback: (error?: Error) => void): void => {
      Server.prototype.close.call(listening, callback);
    };
  return new ManagedService('dynamodb', host, {
    async open(openHost, port) {
      if (!server) {
        const { default: dynalite } = await import('dynalite');
        server = dynalite({
          ...(options.directory === undefined ? {} : { path: options.directory }),
          createTableMs: 0,
          deleteTableMs: 0,
          updateTableMs: 0,
        });
        addTransactions(server);
      }
      await listen(server, port, openHost);
      return server;
    },
    close: (listening) => closeServer(listening, closeListenerOnly(listening)),
    async dispose() {
      if (!server) return;
      // Dynalite closes its database only from a listening server's close().
      if (!server.listening) await listen(server, 0, host);
      await closeServer(server);
    },
  });
}
