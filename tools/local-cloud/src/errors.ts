/** Thrown when the HTTP API's (or the issuer's) port is taken, so the CLI can print one clear line. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    /** The flag that moves it. */
    readonly option: '--port' | '--issuer-port' = '--port',
  ) {
    super(
      `port ${port} is already in use; pass ${option} <free port> (or ${option === '--port' ? 'PORT' : 'ISSUER_PORT'}=<free port>)`,
    );
    this.name = 'PortInUseError';
  }
}

/** Thrown when a function's built bundle is missing: says which file and how to build it. */
export class MissingBundleError extends Error {
  constructor(
    readonly functionName: string,
    readonly bundleFile: string,
  ) {
    super(
      `The ${functionName} function's bundle ${bundleFile} does not exist. ` +
        'Build the handlers first: npx nx run-many -t build -p health-handler api-handlers',
    );
    this.name = 'MissingBundleError';
  }
}
