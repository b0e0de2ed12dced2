/**
 * Turns a JSON merge patch (RFC 7396) of an item into ONE DynamoDB UpdateItem.
 *
 * `attributes` is stored as a DynamoDB map, so each patched key is its own
 * `SET attributes.#k = :v` or `REMOVE attributes.#k`: concurrent patches of different keys
 * never overwrite each other, and `ADD version :one` gives each write its own version.
 */
import type { UpdateItemRequest } from '@tap/contracts';
import { MAX_ATTRIBUTES } from '@tap/contracts';

/** Parameters of one UpdateItem call. */
export interface UpdatePlan {
  readonly updateExpression: string;
  readonly conditionExpression: string;
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, unknown>>;
}

/** How the write is guarded. */
export interface UpdatePlanOptions {
  /** ISO timestamp written to `updatedAt`. */
  readonly now: string;
  /** Version the item must still be at (from `If-Match`, or the version a retry checked). */
  readonly expectedVersion?: number;
  /**
   * Whether to guard the attribute cap with `size(attributes) <= :max`. The guard assumes
   * every key set is new, so it is conservative; a retry pinned to a version whose merged
   * count was checked drops it.
   */
  readonly guardAttributeCount: boolean;
}

/** The attribute keys a patch sets to a value and the keys it removes. */
export interface AttributeChanges {
  readonly set: readonly string[];
  readonly removed: readonly string[];
  /** `attributes: null`: every key goes. */
  readonly cleared: boolean;
}

/** Splits a patch's `attributes` member into keys set, keys removed, or a full clear. */
export function attributeChanges(patch: UpdateItemRequest): AttributeChanges {
  if (patch.attributes === null) return { set: [], removed: [], cleared: true };
  const entries = Object.entries(patch.attributes ?? {});
  return {
    set: entries.filter(([, value]) => value !== null).map(([key]) => key),
    removed: entries.filter(([, value]) => value === null).map(([key]) => key),
    cleared: false,
  };
}

/** How many attributes the item would hold after the patch, given its current keys. */
export function mergedAttributeCount(
  currentKeys: readonly string[],
  changes: AttributeChanges,
): number {
  if (changes.cleared) return 0;
  const keys = new Set(currentKeys);
  for (const key of changes.removed) keys.delete(key);
  for (const key of changes.set) keys.add(key);
  return keys.size;
}

/** Builds the update expression, condition, names and values for a patch. */
export function planItemUpdate(patch: UpdateItemRequest, options: UpdatePlanOptions): UpdatePlan {
  const names: Record<string, string> = {
    '#id': 'id',
    '#version': 'version',
    '#updatedAt': 'updatedAt',
  };
  const values: Record<string, unknown> = { ':one': 1, ':now': options.now };
  const set: string[] = ['#updatedAt = :now'];
  const remove: string[] = [];

  if (patch.name !== undefined) {
    names['#name'] = 'name';
    values[':name'] = patch.name;
    set.push('#name = :name');
  }
  if (patch.description !== undefined) {
    names['#description'] = 'description';
    if (patch.description === null) {
      remove.push('#description');
    } else {
      values[':description'] = patch.description;
      set.push('#description = :description');
    }
  }
  if (patch.tags !== undefined) {
    names['#tags'] = 'tags';
    values[':tags'] = patch.tags ?? [];
    set.push('#tags = :tags');
  }

  const changes = attributeChanges(patch);
  // DynamoDB rejects placeholders an expression does not use, so `attributes: {}` adds none.
  if (changes.cleared || changes.set.length + changes.removed.length > 0) {
    names['#attributes'] = 'attributes';
  }
  if (changes.cleared) {
    // An empty map rather than REMOVE: key-level SETs need the map to exist.
    values[':noAttributes'] = {};
    set.push('#attributes = :noAttributes');
  }
  Object.entries(patch.attributes ?? {}).forEach(([key, value], index) => {
    // Placeholders for every key: attribute names may hold `.`, `:` or reserved words.
    names[`#a${index}`] = key;
    if (value === null) {
      remove.push(`#attributes.#a${index}`);
    } else {
      values[`:a${index}`] = value;
      set.push(`#attributes.#a${index} = :a${index}`);
    }
  });

  const conditions = ['attribute_exists(#id)'];
  if (options.expectedVersion !== undefined) {
    values[':expectedVersion'] = options.expectedVersion;
    conditions.push('#version = :expectedVersion');
  }
  if (options.guardAttributeCount && changes.set.length > 0) {
    values[':maxAttributesBefore'] = MAX_ATTRIBUTES - changes.set.length;
    conditions.push('size(#attributes) <= :maxAttributesBefore');
  }

  const clauses = [`SET ${set.join(', ')}`];
  if (remove.length > 0) clauses.push(`REMOVE ${remove.join(', ')}`);
  clauses.push('ADD #version :one');
  return {
    updateExpression: clauses.join(' '),
    conditionExpression: conditions.join(' AND '),
    names,
    values,
  };
}
