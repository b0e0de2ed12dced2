/**
 * Attributes of an item's row in the data table that are the server's own, never part of
 * the contract's `Item`: the mark of an item being deleted and the counters its file caps
 * are checked against. The item store and the file record store both write them.
 */

/** Set (to the ISO time the delete began) while an item's files are removed; the item reads as missing. */
export const ITEM_DELETING = 'deletingSince';

/** How many files the item holds, granted uploads included. */
export const ITEM_FILE_COUNT = 'fileCount';

/** How many bytes the item's files hold, granted uploads included. */
export const ITEM_FILE_BYTES = 'fileBytes';
