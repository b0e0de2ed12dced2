// The emulators ship without type declarations; these cover the parts the tests and the
// local cloud use. The one copy in the workspace: a module whose file starts with a
// `/// <reference path>` to this file (see dynamodb-emulator.ts) brings it into every
// program that imports the library.

declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB folder; in memory when omitted. */
    path?: string;
    /** Delay before a created table becomes ACTIVE, in ms. */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }

  /** Creates (does not start) an HTTP server speaking the DynamoDB API. */
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}

declare module 's3rver' {
  import type { IncomingMessage, Server } from 'node:http';
  import type { AddressInfo } from 'node:net';

  namespace S3rver {
    /** The parts of a Koa context (s3rver is a Koa application) the local cloud uses. */
    interface Context {
      readonly req: IncomingMessage;
      readonly method: string;
      /** The request target as received, before any middleware rewrote `path`. */
      readonly originalUrl: string;
      /** The path, rewritten to `/<bucket>/...` for virtual-host style requests. */
      readonly path: string;
      /** Route parameters; the router sets them, s3rver's CORS middleware reads `bucket`. */
      params?: Record<string, string | undefined>;
    }
    /** A Koa middleware. */
    type Middleware = (context: Context, next: () => Promise<void>) => unknown;
  }

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  /** An S3 emulator storing objects under `directory`; it knows one access key, `S3RVER`. */
  class S3rver {
    constructor(options?: S3rverOptions);
    /** Creates the configured buckets, then listens. */
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    readonly httpServer: Server | undefined;
    /**
     * Koa's middleware stack, in order: s3rver's logger, XML encoder and virtual-host
     * rewrite, then its router (the function carrying a `router` property). Composed when
     * the server starts listening, so changes before {@link run} take effect.
     */
    readonly middleware: (S3rver.Middleware & { readonly router?: unknown })[];
  }
  export = S3rver;
}

declare module 's3rver/lib/middleware/cors' {
  import type { Middleware } from 's3rver';

  /** s3rver's CORS handling: answers preflights, adds the CORS headers of the matching rule. */
  function cors(): Middleware;
  export = cors;
}

declare module 's3rver/lib/models/error' {
  /** An S3 error; s3rver's error handler answers it as S3's XML error body and status. */
  class S3Error extends Error {
    constructor(code: string, message: string, detail?: Readonly<Record<string, string>>);
    readonly code: string;
    readonly status: number;
  }
  export = S3Error;
}
