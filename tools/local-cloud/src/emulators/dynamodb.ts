// The emulators ship no types. Projects compiling this source (the integration suite) must
// see the declarations too, and an untyped module can only be declared by a script file,
// which `import` cannot pull in.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./emulator-modules.d.ts" />
import dynalite from 'dynalite';
import { Server } from 'node:http';
import { closeServer, listen } from '../server-lifecycle';
import { ManagedService } from './managed-service';

/** Options of the DynamoDB emulator. */
export interface DynamoDbEmulatorOptions {
  readonly host: string;
  /** LevelDB folder; in memory when undefined. */
  readonly directory: string | undefined;
}

/**
 * DynamoDB emulated by dynalite. Tables become ACTIVE at once (no 500 ms CREATING phase),
 * so provisioning at startup does not wait.
 *
 * Stopping only closes the listener. Dynalite's own `close()` also closes the database and
 * reopens a fresh one on the next `listen()`, which would drop an in-memory store's data;
 * it is used once, on dispose, to flush and release the LevelDB folder.
 */
export function createDynamoDbEmulator(options: DynamoDbEmulatorOptions): ManagedService {
  const server = dynalite({
    ...(options.directory === undefined ? {} : { path: options.directory }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const closeListenerOnly = (callback: (error?: Error) => void): void => {
    Server.prototype.close.call(server, callback);
  };
  return new ManagedService('dynamodb', options.host, {
    async open(host, port) {
      await listen(server, port, host);
      return server;
    },
    close: () => closeServer(server, closeListenerOnly),
    async dispose() {
      // Dynalite closes its database only from a listening server's close().
      if (!server.listening) await listen(server, 0, options.host);
      await closeServer(server);
    },
  });
}
