/**
 * Sends generated requests and judges the answers. A request fails the run when:
 *
 * - the API answers 5xx, a status the operation does not declare, or a body or content type
 *   that does not match the contract;
 * - a valid request is refused for anything but the refusals the API documents, or
 *   served although what it names does not exist;
 * - a broken request is accepted, or refused with another status or problem type than the
 *   broken part calls for;
 * - a request without a valid key gets anything but 401;
 * - what was served is not what was asked (a create that stores other values, a merge
 *   patch applied wrongly, a presigned URL outside the item's prefix);
 * - a refused request changed the witness item or its file.
 *
 * Every failure message carries the request as sent and the response as received.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  API_KEY_HEADER,
  ProblemTypes,
  unescapePointer,
  type OperationModel,
  type ProblemType,
} from '@tap/contracts';
import fc from 'fast-check';
import { contractViolations } from '../support/contract';
import type { RawHttp, RawResponse } from '../support/raw-http';
import {
  buildPath,
  buildQuery,
  describeRequest,
  isOversized,
  requestCategories,
  isVersionTag,
  type ConcreteRequest,
  type FuzzCase,
  type FuzzFixtures,
} from './request-arbitraries';

/** Items the run knows to exist: created (201) and not deleted (204) since. */
export class ItemLedger {
  private readonly created = new Set<string>();
  private readonly deleted = new Set<string>();

  add(id: string): void {
    this.created.add(id);
  }

  remove(id: string): void {
    this.deleted.add(id);
  }

  /** Ids acknowledged as created and not acknowledged as deleted. */
  get live(): ReadonlySet<string> {
    return new Set([...this.created].filter((id) => !this.deleted.has(id)));
  }
}

/** Counts of what the run sent and received. */
export interface FuzzStats {
  /** Generated requests (one per property run, shrinking included). */
  generated: number;
  /** Every request sent to the API, set-up and read-backs included. */
  sent: number;
  readonly byOperation: Record<string, number>;
  readonly byExpectation: Record<string, number>;
  readonly byStatus: Record<string, number>;
}

interface Problem {
  readonly type?: string;
  readonly requestId?: string;
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

const header = (response: RawResponse, name: string): string | undefined => {
  const value = response.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

/** Deep equality of JSON values whatever the key order (`-0` and `0` are one JSON number). */
const sameJson = (left: unknown, right: unknown): boolean =>
  isDeepStrictEqual(
    JSON.parse(JSON.stringify(left ?? null)),
    JSON.parse(JSON.stringify(right ?? null)),
  );

/**
 * The status each operation answers on success: the only 2xx it declares.
 *
 * @throws Error when the contract declares none or several.
 */
function successStatus(operation: OperationModel): number {
  const success = Object.keys(operation.responses).filter((status) => /^2\d\d$/.test(status));
  if (success.length !== 1 || success[0] === undefined) {
    throw new Error(`${operation.operationId} declares ${success.length} success statuses`);
  }
  return Number(success[0]);
}

/** The object key inside a presigned URL (path-style: `/<bucket>/<key>`, or virtual-hosted). */
function objectKey(url: string): string {
  return decodeURIComponent(new URL(url).pathname);
}

/** Sends fuzz cases and judges the answers; see the module comment. */
export class FuzzRunner {
  readonly stats: FuzzStats = {
    generated: 0,
    sent: 0,
    byOperation: {},
    byExpectation: {},
    byStatus: {},
  };

  constructor(
    private readonly http: RawHttp,
    private readonly fixtures: FuzzFixtures,
    private readonly ledger: ItemLedger,
    /** The witness item as it was before the run. */
    private readonly witnessSnapshot: unknown,
  ) {}

  private async send(request: ConcreteRequest): Promise<RawResponse> {
    this.stats.sent += 1;
    return this.http.send(request);
  }

  private keyed(headers: Record<string, string> = {}): Record<string, string> {
    return { [API_KEY_HEADER]: this.fixtures.apiKey, ...headers };
  }

  /** Creates an item for a request that deletes one. */
  private async freshItem(): Promise<string> {
    const response = await this.send({
      method: 'POST',
      path: '/api/items',
      headers: this.keyed({ 'content-type': 'application/json' }),
      body: JSON.stringify({ name: 'fresh, to be deleted' }),
    });
    const id = asRecord(response.json)['id'];
    if (response.status !== 201 || typeof id !== 'string') {
      throw new Error(`could not create a fresh item: ${response.status} ${response.text}`);
    }
    this.ledger.add(id);
    return id;
  }

  /** Uploads a file to the first seed item for a request that deletes one. */
  private async freshFile(): Promise<{ itemId: string; fileId: string }> {
    const itemId = this.fixtures.seedItems[0] ?? '';
    const bytes = new TextEncoder().encode('fresh');
    const grant = await this.send({
      method: 'POST',
      path: `/api/items/${itemId}/files`,
      headers: this.keyed({ 'content-type': 'application/json' }),
      body: JSON.stringify({
        fileName: 'fresh.txt',
        contentType: 'text/plain',
        contentLength: bytes.length,
      }),
    });
    const { fileId, uploadUrl, headers } = asRecord(grant.json);
    if (grant.status !== 201 || typeof fileId !== 'string' || typeof uploadUrl !== 'string') {
      throw new Error(`could not get an upload URL: ${grant.status} ${grant.text}`);
    }
    const signed = Object.entries(asRecord(headers)).filter(
      ([name]) => name.toLowerCase() !== 'content-length',
    ) as [string, string][];
    const put = await fetch(uploadUrl, { method: 'PUT', headers: signed, body: bytes });
    if (!put.ok) throw new Error(`could not upload a fresh file: ${put.status}`);
    return { itemId, fileId };
  }

  /** Requests that may touch the witness run one at a time, so a change is pinned on one. */
  private witnessQueue: Promise<unknown> = Promise.resolve();
  private witnessChangedBy: string | undefined;

  /** The request after which the witness was found changed, if it ever was. */
  get witnessChange(): string | undefined {
    return this.witnessChangedBy;
  }

  /** Sends one case and throws, describing request and response, if the answer is wrong. */
  async check(fuzzCase: FuzzCase): Promise<void> {
    if (fuzzCase.expectation.kind === 'accept' || !fuzzCase.subject.witness) {
      return this.checkNow(fuzzCase);
    }
    const turn = this.witnessQueue.then(() => this.checkNow(fuzzCase));
    this.witnessQueue = turn.catch(() => undefined);
    return turn;
  }

  private async checkNow(fuzzCase: FuzzCase): Promise<void> {
    const { operation, subject, expectation } = fuzzCase;
    this.stats.generated += 1;
    const count = (bucket: Record<string, number>, key: string): void => {
      bucket[key] = (bucket[key] ?? 0) + 1;
    };
    count(this.stats.byOperation, operation.operationId);
    count(this.stats.byExpectation, expectation.kind);

    let itemId = subject.itemId;
    let fileId = subject.fileId;
    if (subject.fresh === 'item') itemId = await this.freshItem();
    if (subject.fresh === 'file') ({ itemId, fileId } = await this.freshFile());
    const request: ConcreteRequest = {
      method: operation.method,
      path:
        buildPath(operation.path, {
          ...fuzzCase.pathValues,
          id: itemId ?? '',
          fileId: fileId ?? '',
        }) + buildQuery(fuzzCase.query),
      headers: fuzzCase.headers,
      ...(fuzzCase.body === undefined ? {} : { body: fuzzCase.body }),
    };
    const response = await this.send(request);
    count(this.stats.byStatus, String(response.status));

    const failures = [...this.conformance(operation, response)];
    if (expectation.kind === 'unauthorized') {
      if (response.status !== 401 || !sameJson(response.json, { message: 'Unauthorized' })) {
        failures.push(`${expectation.key}: expected 401 {"message":"Unauthorized"}`);
      }
    } else if (expectation.kind === 'reject') {
      const type = asRecord(response.json)['type'];
      if (
        response.status !== expectation.status ||
        !expectation.problems.includes(type as ProblemType)
      ) {
        failures.push(
          `broken ${expectation.part}: expected ${expectation.status} ${expectation.problems.join(' | ')}`,
        );
      }
    } else {
      failures.push(...(await this.judgeAccepted(fuzzCase, itemId, fileId, response)));
    }
    // Once changed, the witness cannot tell more: it is reported once, for the request
    // that changed it, not again for every later one.
    if (expectation.kind !== 'accept' && subject.witness && this.witnessChangedBy === undefined) {
      const changes = await this.witnessUnchanged();
      if (changes.length > 0) this.witnessChangedBy = describeRequest(request);
      failures.push(...changes);
    }
    if (failures.length > 0) {
      throw new Error(
        [
          ...failures.map((failure) => `✗ ${failure}`),
          'request:',
          describeRequest(request),
          `response: ${response.status} ${response.contentType ?? '(no content type)'}`,
          `  ${response.text.slice(0, 600)}`,
        ].join('\n'),
      );
    }
  }

  /** Status declared, body and content type as the contract says, 5xx never. */
  private conformance(operation: OperationModel, response: RawResponse): string[] {
    const failures: string[] = [];
    if (response.status >= 500) failures.push(`answered ${response.status}`);
    if (response.text !== '' && response.json === undefined) failures.push('body is not JSON');
    failures.push(
      ...contractViolations(
        operation.operationId,
        response.status,
        response.contentType,
        response.json,
        (name) => header(response, name),
      ),
    );
    // Everything but the gateway's own 401 comes from the functions, which mark each answer
    // with the request id and keep it out of caches.
    if (response.status !== 401) {
      if (!header(response, 'x-request-id')) failures.push('no x-request-id');
      if (header(response, 'cache-control') !== 'no-store')
        failures.push('cache-control is not no-store');
    }
    const problem = response.json as Problem | undefined;
    if (response.contentType?.startsWith('application/problem+json')) {
      if (header(response, 'x-request-id') !== problem?.requestId) {
        failures.push('x-request-id differs from the problem requestId');
      }
    }
    return failures;
  }

  /** What a valid request may be answered with, and whether what was served is right. */
  private async judgeAccepted(
    fuzzCase: FuzzCase,
    itemId: string | undefined,
    fileId: string | undefined,
    response: RawResponse,
  ): Promise<string[]> {
    const { operation, subject } = fuzzCase;
    const body = asRecord(fuzzCase.bodyValue);
    const ifMatch = fuzzCase.headers['If-Match'];
    const namesFile = operation.parameters.some((parameter) => parameter.name === 'fileId');
    const exists = subject.itemExists && (!namesFile || subject.fileExists);
    const problem = asRecord(response.json) as Problem;
    const allowed = new Map<number, readonly (ProblemType | undefined)[]>();
    const allow = (status: number, ...types: (ProblemType | undefined)[]): void => {
      allowed.set(status, [...(allowed.get(status) ?? []), ...types]);
    };

    if (isOversized(fuzzCase.body) && operation.requestBody !== undefined) {
      // The size is checked before anything else.
      allow(413, ProblemTypes.payloadTooLarge);
    } else {
      if (exists) allow(successStatus(operation), undefined);
      else allow(404, ProblemTypes.itemNotFound, ProblemTypes.fileNotFound);
      if (typeof ifMatch === 'string' && isVersionTag(ifMatch) && exists) {
        allow(412, ProblemTypes.preconditionFailed);
      }
      if (
        operation.operationId === 'createFileUpload' &&
        Number(body['contentLength']) > this.fixtures.maxUploadBytes
      ) {
        allow(413, ProblemTypes.fileTooLarge);
      }
      if (operation.operationId === 'updateItem' && exists) {
        const attributes = asRecord(body['attributes']);
        if (Object.values(attributes).some((value) => value !== null)) {
          allow(400, ProblemTypes.attributeLimitExceeded);
        }
      }
      if (response.status === 400 && problem.type === ProblemTypes.validationFailed) {
        const undocumented = (problem.errors ?? []).filter(
          (error) => !this.documentedRefusal(fuzzCase, error.path),
        );
        if (undocumented.length === 0 && (problem.errors ?? []).length > 0) {
          allow(400, ProblemTypes.validationFailed);
        }
      }
    }
    const types = allowed.get(response.status);
    if (!types || !types.includes(problem.type as ProblemType | undefined)) {
      const expected = [...allowed].map(([status, list]) =>
        `${status} ${list.filter(Boolean).join('|')}`.trim(),
      );
      return [
        `a valid request on ${subject.label} was answered ${response.status} ${problem.type ?? ''}; expected ${expected.join(', ')}`,
      ];
    }
    if (response.status >= 300) return [];
    return this.servedAsAsked(fuzzCase, itemId, fileId, response);
  }

  /** The refusals of valid values the API documents (storage limits the schema cannot state). */
  private documentedRefusal(fuzzCase: FuzzCase, path: string): boolean {
    const body = asRecord(fuzzCase.bodyValue);
    if (path === '/headers/If-Match') {
      const ifMatch = fuzzCase.headers['If-Match'];
      return typeof ifMatch === 'string' && ifMatch !== '*' && !isVersionTag(ifMatch);
    }
    const attribute = /^\/body\/attributes\/(.+)$/.exec(path);
    if (attribute?.[1] !== undefined) {
      const key = unescapePointer(attribute[1]);
      const value = Object.getOwnPropertyDescriptor(asRecord(body['attributes']), key)?.value;
      // `__proto__` cannot round-trip the SDK; DynamoDB cannot store magnitudes below 1e-130.
      return (
        key === '__proto__' ||
        (typeof value === 'number' && value !== 0 && Math.abs(value) < 1e-100)
      );
    }
    if (path === '/body/fileName') {
      const name = String(body['fileName']);
      // Lone surrogates have no UTF-8 form; S3 metadata holds at most 2 KB.
      return (
        /\p{Surrogate}/u.test(name) || 'file-name'.length + encodeURIComponent(name).length > 2048
      );
    }
    return false;
  }

  /** The success answer holds what was asked for. */
  private async servedAsAsked(
    fuzzCase: FuzzCase,
    itemId: string | undefined,
    fileId: string | undefined,
    response: RawResponse,
  ): Promise<string[]> {
    const body = asRecord(fuzzCase.bodyValue);
    const served = asRecord(response.json);
    const failures: string[] = [];
    const expect = (condition: boolean, what: string): void => {
      if (!condition) failures.push(what);
    };
    switch (fuzzCase.operation.operationId) {
      case 'createItem': {
        const id = String(served['id']);
        this.ledger.add(id);
        expect(served['name'] === body['name'], 'created item has another name');
        expect(
          served['description'] === body['description'],
          'created item has another description',
        );
        expect(sameJson(served['tags'], body['tags'] ?? []), 'created item has other tags');
        expect(
          sameJson(served['attributes'], body['attributes'] ?? {}),
          'created item has other attributes',
        );
        expect(served['version'] === 1, 'created item is not at version 1');
        expect(header(response, 'location') === `/api/items/${id}`, 'Location is not the new item');
        expect(header(response, 'etag') === '"1"', 'ETag is not "1"');
        const read = await this.send({
          method: 'GET',
          path: `/api/items/${id}`,
          headers: this.keyed(),
        });
        expect(
          read.status === 200 && sameJson(read.json, served),
          `reading the created item back gave ${read.status} ${read.text.slice(0, 300)}`,
        );
        break;
      }
      case 'updateItem': {
        expect(served['id'] === itemId, 'patched another item');
        if ('name' in body) expect(served['name'] === body['name'], 'name not patched');
        if ('description' in body) {
          expect(
            body['description'] === null
              ? !('description' in served)
              : served['description'] === body['description'],
            'description not patched',
          );
        }
        if ('tags' in body)
          expect(sameJson(served['tags'], body['tags'] ?? []), 'tags not patched');
        if ('attributes' in body) {
          const patch = body['attributes'];
          const attributes = asRecord(served['attributes']);
          if (patch === null) expect(sameJson(attributes, {}), 'attributes not cleared');
          for (const [key, value] of Object.entries(asRecord(patch))) {
            const stored = Object.getOwnPropertyDescriptor(attributes, key);
            expect(
              value === null ? stored === undefined : sameJson(stored?.value, value),
              `attribute ${JSON.stringify(key)} not merged`,
            );
          }
        }
        const ifMatch = fuzzCase.headers['If-Match'];
        const tag = typeof ifMatch === 'string' ? /"(\d+)"/.exec(ifMatch) : null;
        if (tag?.[1] !== undefined)
          expect(served['version'] === Number(tag[1]) + 1, 'version not incremented from If-Match');
        expect(
          header(response, 'etag') === `"${String(served['version'])}"`,
          'ETag is not the version',
        );
        break;
      }
      case 'deleteItem':
        if (itemId !== undefined) this.ledger.remove(itemId);
        break;
      case 'getItem':
        expect(served['id'] === itemId, 'read another item');
        expect(
          header(response, 'etag') === `"${String(served['version'])}"`,
          'ETag is not the version',
        );
        break;
      case 'listItems': {
        const limit = Number(fuzzCase.query.find(([name]) => name === 'limit')?.[1] ?? 20);
        const items = Array.isArray(served['items']) ? served['items'] : [];
        expect(items.length <= limit, `page of ${items.length} items for limit ${limit}`);
        break;
      }
      case 'createFileUpload': {
        const key = objectKey(String(served['uploadUrl']));
        const prefix = `items/${itemId}/${String(served['fileId'])}/`;
        expect(
          key.includes(`/${prefix}`) || key.startsWith(prefix),
          `upload key ${key} outside ${prefix}`,
        );
        expect(!key.split('/').includes('..'), `upload key ${key} climbs out`);
        const signed = Object.fromEntries(
          Object.entries(asRecord(served['headers'])).map(([name, value]) => [
            name.toLowerCase(),
            value,
          ]),
        );
        expect(signed['content-type'] === body['contentType'], 'signed content type differs');
        expect(signed['content-length'] === String(body['contentLength']), 'signed length differs');
        break;
      }
      case 'getFileDownload': {
        expect(served['fileId'] === fileId, 'download of another file');
        expect(served['fileName'] === fuzzCase.subject.fileName, 'download name not kept');
        const key = objectKey(String(served['downloadUrl']));
        expect(
          key.includes(`items/${itemId}/${fileId}/`),
          `download key ${key} outside the file prefix`,
        );
        break;
      }
      default:
        break;
    }
    return failures;
  }

  /** Refused requests changed nothing on the witness item and its file. */
  private async witnessUnchanged(): Promise<string[]> {
    const { itemId, fileId } = this.fixtures.witness;
    const item = await this.send({
      method: 'GET',
      path: `/api/items/${itemId}`,
      headers: this.keyed(),
    });
    const files = await this.send({
      method: 'GET',
      path: `/api/items/${itemId}/files`,
      headers: this.keyed(),
    });
    const failures: string[] = [];
    if (item.status !== 200 || !sameJson(item.json, this.witnessSnapshot)) {
      failures.push(`the witness item changed: ${item.status} ${item.text.slice(0, 300)}`);
    }
    const listed = asRecord(files.json)['files'];
    if (!Array.isArray(listed) || !listed.some((file) => asRecord(file)['fileId'] === fileId)) {
      failures.push(`the witness file is gone: ${files.status} ${files.text.slice(0, 300)}`);
    }
    return failures;
  }
}

/** How much traffic each operation gets, relative to the others: richer inputs get more. */
function weightOf(operation: OperationModel): number {
  if (operation.requestBody !== undefined) return 3;
  return operation.parameters.length > 1 ? 2 : 1;
}

/** Options of {@link runContractFuzz}. */
export interface FuzzRunOptions {
  readonly operations: readonly OperationModel[];
  readonly runner: FuzzRunner;
  readonly fixtures: FuzzFixtures;
  /** Generated requests in total, spread over the operations by {@link weightOf}. */
  readonly total: number;
  /** Properties run at once (each sends one request at a time). */
  readonly concurrency: number;
  readonly seed: number;
  /** The whole run, shrinking included, is cut (and failed) past this. */
  readonly timeLimitMs: number;
}

/**
 * Runs one fast-check property per operation and kind of request (split in chunks so the
 * work spreads over `concurrency` lanes), each with shrinking. Resolves with the failure
 * reports, empty when every request was answered right.
 */
export async function runContractFuzz(options: FuzzRunOptions): Promise<string[]> {
  const { operations, runner, fixtures, total, concurrency, seed } = options;
  const deadline = Date.now() + options.timeLimitMs;
  const weights = operations.map(weightOf);
  const sum = weights.reduce((left, right) => left + right, 0);
  const chunkSize = Math.max(50, Math.ceil(total / (concurrency * 3)));
  const tasks: { label: string; arbitrary: fc.Arbitrary<FuzzCase>; runs: number; seed: number }[] =
    [];
  operations.forEach((operation, index) => {
    const operationRuns = Math.ceil((total * (weights[index] ?? 1)) / sum);
    const categories = requestCategories(operation, fixtures);
    const categoryWeights = categories.reduce((left, category) => left + category.weight, 0);
    categories.forEach((category, categoryIndex) => {
      let runs = Math.ceil((operationRuns * category.weight) / categoryWeights);
      for (let chunk = 0; runs > 0; chunk += 1) {
        const size = Math.min(chunkSize, runs);
        tasks.push({
          label: `${operation.operationId}, ${category.name}`,
          arbitrary: category.arbitrary,
          runs: size,
          seed: seed + index * 1000 + categoryIndex * 100 + chunk,
        });
        runs -= size;
      }
    });
  });
  // Largest first, interleaving operations, so lanes finish together and mix traffic.
  tasks.sort((left, right) => right.runs - left.runs);
  const failures: string[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next];
      next += 1;
      if (!task) break;
      // The API keeps state, so a shrunk counterexample may fail for what the original one
      // did (a deleted item stays deleted): the original failure is reported as well.
      let first: string | undefined;
      const property = fc.asyncProperty(task.arbitrary, async (fuzzCase) => {
        try {
          await runner.check(fuzzCase);
        } catch (error) {
          first ??= error instanceof Error ? error.message : String(error);
          throw error;
        }
      });
      try {
        await fc.assert(property, {
          numRuns: task.runs,
          seed: task.seed,
          includeErrorInReport: true,
          // Shrinking a long value can take thousands of requests: bounded, and failed
          // loudly rather than passing with fewer runs.
          interruptAfterTimeLimit: Math.max(1, deadline - Date.now()),
          markInterruptAsFailure: true,
        });
      } catch (error) {
        const shrunk = error instanceof Error ? error.message : String(error);
        failures.push(
          `${task.label}: ${shrunk}\nFirst failure, before shrinking:\n${first ?? '(none)'}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => lane()));
  return failures;
}
