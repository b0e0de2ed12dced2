/** The AWS account the local cloud pretends to be (the emulators' conventional one). */
export const LOCAL_ACCOUNT = '000000000000';
