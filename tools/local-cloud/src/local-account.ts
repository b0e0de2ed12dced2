/** The AWS account the local cloud pretends to be (the emulators' conventional one). */
export const LOCAL_ACCOUNT = '000000000000';

/** The id of the local cloud's user pool, in Cognito's `<region>_<id>` form. */
export const LOCAL_USER_POOL_ID = 'us-west-2_TapLocal1';

/** The local user pool's app client for browser SPAs (public: no secret). */
export const LOCAL_USER_POOL_CLIENT_ID = 'tap-local-web-client';
