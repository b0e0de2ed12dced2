// Types of bare-server-process.mjs, for the TypeScript that starts it in its own thread.

/** Starts the bare server on 127.0.0.1, on a free port. */
export declare function startBareServer(options: {
  readonly endpoint: string;
  readonly tableName: string;
  readonly region: string;
}): Promise<{ readonly port: number; stop(): Promise<void> }>;
