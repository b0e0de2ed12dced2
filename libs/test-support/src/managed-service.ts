import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from './server-lifecycle';

/** One emulator, which fault tests may stop and start again. */
export interface LocalService {
  /** `http://127.0.0.1:<port>`; the port stays the same across stop/start. */
  readonly endpoint: string;
  /** Stops answering (the port refuses connections); the data stays. */
  stop(): Promise<void>;
  /** Answers again on the same port with the same data. */
  start(): Promise<void>;
  readonly running: boolean;
}

/** What a concrete emulator provides to {@link ManagedService}. */
export interface ServiceBackend {
  /** Starts serving on `host:port` (`port` 0 = any free port). */
  open(host: string, port: number): Promise<Server>;
  /** Stops serving without losing data. Default: close the server and its connections. */
  close?(server: Server): Promise<void>;
  /** Releases everything for good (files, databases); called once, after the last close. */
  dispose?(): Promise<void>;
}

/**
 * A {@link LocalService} around a backend: remembers the port picked on the first start so
 * a restarted emulator comes back where its clients (the functions' endpoint variables)
 * expect it, and serialises start/stop so overlapping calls cannot race.
 */
export class ManagedService implements LocalService {
  private server: Server | undefined;
  private port: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    readonly name: string,
    private readonly host: string,
    private readonly backend: ServiceBackend,
  ) {}

  get endpoint(): string {
    if (this.port === undefined) throw new Error(`${this.name} has not been started yet`);
    return `http://${this.host}:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  start(): Promise<void> {
    return this.serialise(async () => {
      if (this.disposed) throw new Error(`${this.name} has been shut down`);
      if (this.server) return;
      const server = await this.backend.open(this.host, this.port ?? 0);
      this.port = (server.address() as AddressInfo).port;
      this.server = server;
    });
  }

  stop(): Promise<void> {
    return this.serialise(() => this.closeCurrent());
  }

  /** Stops the service and releases its resources; it cannot be started again. */
  dispose(): Promise<void> {
    return this.serialise(async () => {
      if (this.disposed) return;
      this.disposed = true;
      await this.closeCurrent();
      await this.backend.dispose?.();
    });
  }

  private async closeCurrent(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await (this.backend.close ? this.backend.close(server) : closeServer(server));
  }

  private serialise<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
