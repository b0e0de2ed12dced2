import type { UpdateItemRequest } from '@tap/contracts';
import { attributeChanges, mergedAttributeCount, planItemUpdate } from './item-update';
import { MAX_ATTRIBUTES } from '@tap/contracts';

const NOW = '2030-01-02T03:04:05.000Z';

describe('planItemUpdate', () => {
  it('always bumps the version atomically and stamps updatedAt, on an existing item only', () => {
    const plan = planItemUpdate({ name: 'x' }, { now: NOW, guardAttributeCount: true });

    expect(plan.updateExpression).toBe('SET #updatedAt = :now, #name = :name ADD #version :one');
    expect(plan.conditionExpression).toBe('attribute_exists(#id)');
    expect(plan.values).toEqual({ ':one': 1, ':now': NOW, ':name': 'x' });
  });

  it('removes description on null and sets it on a string', () => {
    expect(
      planItemUpdate({ description: null }, { now: NOW, guardAttributeCount: true })
        .updateExpression,
    ).toBe('SET #updatedAt = :now REMOVE #description ADD #version :one');
    expect(
      planItemUpdate({ description: 'd' }, { now: NOW, guardAttributeCount: true }).values,
    ).toMatchObject({
      ':description': 'd',
    });
  });

  it('replaces tags, and empties them on null', () => {
    expect(
      planItemUpdate({ tags: ['a'] }, { now: NOW, guardAttributeCount: true }).values[':tags'],
    ).toEqual(['a']);
    expect(
      planItemUpdate({ tags: null }, { now: NOW, guardAttributeCount: true }).values[':tags'],
    ).toEqual([]);
  });

  it('sets and removes attribute keys one by one through name placeholders', () => {
    const plan = planItemUpdate(
      { attributes: { 'a.b': 1, gone: null, 'x:y': 'v' } },
      { now: NOW, guardAttributeCount: false },
    );

    expect(plan.updateExpression).toBe(
      'SET #updatedAt = :now, #attributes.#a0 = :a0, #attributes.#a2 = :a2 REMOVE #attributes.#a1 ADD #version :one',
    );
    expect(plan.names).toMatchObject({
      '#attributes': 'attributes',
      '#a0': 'a.b',
      '#a1': 'gone',
      '#a2': 'x:y',
    });
    expect(plan.values).toMatchObject({ ':a0': 1, ':a2': 'v' });
    expect(plan.values).not.toHaveProperty(':a1');
  });

  it('clears attributes to an empty map, so later key-level SETs still work', () => {
    const plan = planItemUpdate({ attributes: null }, { now: NOW, guardAttributeCount: true });

    expect(plan.updateExpression).toBe(
      'SET #updatedAt = :now, #attributes = :noAttributes ADD #version :one',
    );
    expect(plan.values[':noAttributes']).toEqual({});
  });

  it('pins the version when one is expected', () => {
    const plan = planItemUpdate(
      { name: 'x' },
      { now: NOW, expectedVersion: 4, guardAttributeCount: true },
    );

    expect(plan.conditionExpression).toBe('attribute_exists(#id) AND #version = :expectedVersion');
    expect(plan.values[':expectedVersion']).toBe(4);
  });

  it('guards the cap assuming every key set is new', () => {
    const plan = planItemUpdate(
      { attributes: { a: 1, b: 2, c: null } },
      { now: NOW, guardAttributeCount: true },
    );

    expect(plan.conditionExpression).toBe(
      'attribute_exists(#id) AND size(#attributes) <= :maxAttributesBefore',
    );
    expect(plan.values[':maxAttributesBefore']).toBe(MAX_ATTRIBUTES - 2);
  });

  it('adds no cap guard when no key is set, or when the caller checked the merge', () => {
    expect(
      planItemUpdate({ attributes: { c: null } }, { now: NOW, guardAttributeCount: true })
        .conditionExpression,
    ).toBe('attribute_exists(#id)');
    expect(
      planItemUpdate(
        { attributes: { a: 1 } },
        { now: NOW, expectedVersion: 2, guardAttributeCount: false },
      ).conditionExpression,
    ).toBe('attribute_exists(#id) AND #version = :expectedVersion');
  });

  it.each<UpdateItemRequest>([
    { name: 'n', description: null, tags: null, attributes: { a: 1, b: null } },
    { attributes: {} },
    { attributes: null },
    { description: 'd', attributes: { a: null } },
  ])('uses every name and value placeholder it declares for %j', (patch) => {
    const plan = planItemUpdate(patch, { now: NOW, expectedVersion: 3, guardAttributeCount: true });
    const expressions = `${plan.updateExpression} ${plan.conditionExpression}`;

    for (const placeholder of [...Object.keys(plan.names), ...Object.keys(plan.values)]) {
      expect(expressions).toMatch(new RegExp(`${placeholder}(?![A-Za-z0-9])`));
    }
  });
});

describe('merged attribute count', () => {
  it('counts overwrites once, removals out and new keys in', () => {
    const changes = attributeChanges({ attributes: { a: 2, b: null, c: 3 } });

    expect(changes).toEqual({ set: ['a', 'c'], removed: ['b'], cleared: false });
    expect(mergedAttributeCount(['a', 'b', 'x'], changes)).toBe(3);
  });

  it('is zero after a clear', () => {
    expect(mergedAttributeCount(['a', 'b'], attributeChanges({ attributes: null }))).toBe(0);
  });

  it('is the current count when attributes are not patched', () => {
    expect(mergedAttributeCount(['a'], attributeChanges({ name: 'x' }))).toBe(1);
  });
});
