/** The AWS account the local cloud pretends to be (the emulators' conventional one). */
export const LOCAL_ACCOUNT = '000000000000';

/** The id of the local cloud's user pool, in Cognito's `<region>_<id>` form. */
export const LOCAL_USER_POOL_ID = 'us-west-2_TapLocal1';

/** The local user pool's app client for browser SPAs (public: no secret), shaped as Cognito's ids. */
export const LOCAL_USER_POOL_CLIENT_ID = 'taplocalspaclient000000000';
