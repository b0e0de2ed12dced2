import { contractFacts } from './contract-facts';
import {
  CONTRACT_AJV_OPTIONS,
  CONTRACT_SCHEMA_ID,
  contractSchemaRef,
  createDocumentModel,
  deriveContractFacts,
  documentModel,
  escapePointer,
  pointerTo,
  resolvePointer,
  unescapePointer,
  withContractRefs,
  type ContractDocument,
} from './document-model';
import { API_KEY_HEADER, CORS_POLICY, openApiDocument, routeTable } from './index';

describe('JSON Pointer helpers', () => {
  it.each(['plain', 'a/b', 'a~b', '~1', '/~/', ''])('round-trips the segment %j', (segment) => {
    expect(unescapePointer(escapePointer(segment))).toBe(segment);
  });

  it('escapes ~ before /, as RFC 6901 asks', () => {
    expect(escapePointer('~/')).toBe('~0~1');
    expect(unescapePointer('~01')).toBe('~1');
  });

  it('writes a document-local pointer from segments', () => {
    expect(pointerTo('paths', '/api/items/{id}', 'get')).toBe('#/paths/~1api~1items~1{id}/get');
  });

  it('resolves own properties only, and refuses pointers into other documents', () => {
    const document = { a: { 'b/c': [10, 20] } };
    expect(resolvePointer(document, '#/a/b~1c/1')).toBe(20);
    expect(resolvePointer(document, '#')).toBe(document);
    expect(resolvePointer(document, '#/a/constructor')).toBeUndefined();
    expect(resolvePointer(document, '#/missing/deeper')).toBeUndefined();
    expect(() => resolvePointer(document, 'other.yaml#/a')).toThrow(
      'Only document-local references are supported: other.yaml#/a',
    );
  });

  it('points schemas taken out of the document back into the registered one', () => {
    const schema = {
      description: '#/components/not-a-ref',
      oneOf: [{ $ref: '#/components/schemas/Tags' }, { type: 'null' }],
    };
    expect(withContractRefs(schema)).toEqual({
      description: '#/components/not-a-ref',
      oneOf: [{ $ref: `${CONTRACT_SCHEMA_ID}#/components/schemas/Tags` }, { type: 'null' }],
    });
    expect(schema.oneOf[0]).toEqual({ $ref: '#/components/schemas/Tags' });
  });
});

describe('the ajv options', () => {
  it('register the whole document, components and paths, under the contract id', () => {
    expect(CONTRACT_AJV_OPTIONS).toMatchObject({ allErrors: true, strict: true });
    expect(CONTRACT_AJV_OPTIONS.keywords).toEqual(['components', 'paths']);
    expect(CONTRACT_AJV_OPTIONS.schemas).toEqual([
      {
        $id: CONTRACT_SCHEMA_ID,
        components: openApiDocument.components,
        paths: openApiDocument.paths,
      },
    ]);
    expect(contractSchemaRef('#/components/schemas/Item')).toBe(
      `${CONTRACT_SCHEMA_ID}#/components/schemas/Item`,
    );
  });
});

describe('the document model', () => {
  it('has every operation of the document once, in the route table order', () => {
    expect(documentModel.operations.map((operation) => operation.routeKey)).toEqual(
      routeTable.map((route) => route.routeKey),
    );
    for (const operation of documentModel.operations) {
      expect(documentModel.operation(operation.operationId)).toBe(operation);
      expect(documentModel.resolve(operation.pointer)).toMatchObject({
        operationId: operation.operationId,
      });
    }
  });

  it('names the operation it does not have', () => {
    expect(() => documentModel.operation('nope' as 'getItem')).toThrow(
      'The contract has no operation nope',
    );
  });

  it('reads path-level parameters first, then the operation’s own, each with its schema', () => {
    const update = documentModel.operation('updateItem');
    expect(update.parameters.map(({ name, in: location }) => `${location}:${name}`)).toEqual([
      'path:id',
      'header:If-Match',
      'header:Idempotency-Key',
    ]);
    expect(update.parametersIn.header[0]).toEqual(
      expect.objectContaining({
        name: 'If-Match',
        required: false,
        schemaPointer: '#/components/parameters/IfMatch/schema',
        schema: openApiDocument.components.parameters.IfMatch.schema,
      }),
    );
    expect(update.idempotent).toBe(true);
    expect(documentModel.operation('deleteItem').idempotent).toBe(false);
    expect(documentModel.operation('listItems').parametersIn.query).toEqual([
      expect.objectContaining({
        name: 'limit',
        schemaPointer: '#/components/parameters/PageLimit/schema',
      }),
      expect.objectContaining({
        name: 'cursor',
        schemaPointer: '#/components/parameters/PageCursor/schema',
      }),
    ]);
    for (const operation of documentModel.operations) {
      for (const parameter of operation.parameters) {
        expect(documentModel.resolve(parameter.schemaPointer)).toBe(parameter.schema);
      }
    }
  });

  it('reads the request body: required, every media type, the JSON schema of record', () => {
    expect(documentModel.operation('updateItem').requestBody).toEqual({
      required: true,
      mediaTypes: ['application/merge-patch+json', 'application/json'],
      schema: { $ref: '#/components/schemas/UpdateItemRequest' },
      schemaPointer:
        '#/paths/~1api~1items~1{id}/patch/requestBody/content/application~1json/schema',
    });
    expect(documentModel.operation('getItem').requestBody).toBeUndefined();
  });

  it('reads responses through their $ref, with headers and body schemas by media type', () => {
    const created = documentModel.operation('createItem').responses['201'];
    expect(created?.headers.map((header) => header.name)).toEqual([
      'x-request-id',
      'Location',
      'ETag',
      'Idempotent-Replayed',
    ]);
    expect(created?.headers[2]).toMatchObject({
      schemaPointer: '#/components/headers/ETag/schema',
      schema: openApiDocument.components.headers.ETag.schema,
    });
    const badRequest = documentModel.operation('createItem').responses['400'];
    expect(badRequest).toMatchObject({
      status: '400',
      pointer: '#/components/responses/BadRequest',
      content: {
        'application/problem+json': {
          schema: { $ref: '#/components/schemas/Problem' },
          schemaPointer:
            '#/components/responses/BadRequest/content/application~1problem+json/schema',
        },
      },
    });
    expect(documentModel.operation('deleteItem').responses['204']?.content).toEqual({});
  });

  it('follows schema references to the schema itself', () => {
    expect(documentModel.resolveSchema({ $ref: '#/components/schemas/Tags' })).toBe(
      openApiDocument.components.schemas.Tags,
    );
    expect(() => documentModel.resolveSchema({ $ref: '#/components/schemas/Nope' })).toThrow(
      'Unresolvable reference #/components/schemas/Nope',
    );
  });

  it('lets an operation parameter override the path-level one of the same name and place', () => {
    const model = createDocumentModel({
      paths: {
        '/x/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          get: {
            operationId: 'x',
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          },
        },
      },
    });
    expect(model.operation('x').parameters).toEqual([
      {
        name: 'id',
        in: 'path',
        required: true,
        schema: { type: 'integer' },
        schemaPointer: '#/paths/~1x~1{id}/get/parameters/0/schema',
      },
    ]);
  });

  it('refuses a document it cannot read, naming the operation', () => {
    const withPaths = (paths: Record<string, unknown>): ContractDocument => ({ paths });
    expect(() =>
      createDocumentModel(
        withPaths({
          '/x': { get: { operationId: 'x', parameters: [{ name: 's', in: 'cookie' }] } },
        }),
      ),
    ).toThrow('GET /x: parameter s is in cookie');
    expect(() =>
      createDocumentModel(
        withPaths({ '/x': { get: { operationId: 'x' } }, '/y': { get: { operationId: 'x' } } }),
      ),
    ).toThrow('GET /y and GET /x share the operationId x');
    expect(() => createDocumentModel(withPaths({ '/x': { put: {} } }))).toThrow(
      'PUT /x has no operationId',
    );
  });
});

/** A small contract with one operation of each kind the facts are read from. */
function contract(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const tag = { type: 'string', pattern: '^"[a-z]+"$' };
  return {
    'x-tap-max-request-body-bytes': 1000,
    'x-tap-idempotency-expiry-seconds': 60,
    'x-tap-max-files-per-item': 4,
    'x-tap-max-bytes-per-item': 4000,
    'x-tap-octet-stream-content-types': ['text/html'],
    'x-tap-cors-allow-headers': ['X-Extra'],
    components: {
      securitySchemes: {
        key: { type: 'apiKey', in: 'header', name: 'X-Key' },
        user: {
          type: 'oauth2',
          'x-tap-resource-server': 'rs',
          flows: {
            authorizationCode: {
              authorizationUrl: 'https://auth.example/authorize',
              tokenUrl: 'https://auth.example/token',
              scopes: { 'a:read': 'Read', 'a:write': 'Write' },
            },
          },
        },
      },
      schemas: {
        Attributes: { type: 'object', maxProperties: 3 },
        FileContentType: { type: 'string', enum: ['text/plain', 'text/html'] },
      },
    },
    paths: {
      '/items': {
        get: {
          operationId: 'listItems',
          security: [{ user: ['a:read'] }, { key: ['a:read'] }],
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', default: 5 } }],
          responses: {},
        },
      },
      '/things': {
        put: {
          operationId: 'putThing',
          security: [{ user: ['a:write'] }, { key: ['a:write'] }],
          parameters: [
            { name: 'If-Match', in: 'header', schema: { type: 'string', pattern: '^x$' } },
            { name: 'X-Trace', in: 'header', schema: { type: 'string' } },
          ],
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          responses: { '200': { description: 'ok', headers: { ETag: { schema: tag } } } },
        },
      },
      '/files': {
        post: {
          operationId: 'createFileUpload',
          security: [{ key: ['a:write'] }],
          parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } }],
          requestBody: {
            content: {
              'application/json': {
                schema: { properties: { contentLength: { type: 'integer', maximum: 7 } } },
              },
            },
          },
          responses: {
            '201': {
              description: 'ok',
              headers: { 'X-Id': { schema: {} }, 'Idempotent-Replayed': { schema: {} } },
            },
          },
        },
      },
      '/open': { head: { operationId: 'open', security: [], responses: {} } },
    },
    ...overrides,
  };
}

const factsOf = (document: Record<string, unknown>) =>
  deriveContractFacts(createDocumentModel(document as unknown as ContractDocument));

describe('the facts the code enforces', () => {
  it('are the generated ones: the generated module is what the document says', () => {
    expect(deriveContractFacts(documentModel)).toEqual(contractFacts);
  });

  it('take the API key header from the security scheme the operations require', () => {
    const scheme = openApiDocument.components.securitySchemes.apiKey;
    expect(API_KEY_HEADER).toBe(scheme.name.toLowerCase());
    expect(factsOf(contract()).apiKeyHeader).toBe('x-key');
  });

  it('derive the CORS policy from the operations, not from a list', () => {
    expect(factsOf(contract()).cors).toEqual({
      allowHeaders: [
        'content-type',
        'authorization',
        'x-key',
        'if-match',
        'x-trace',
        'idempotency-key',
        'x-extra',
      ],
      allowMethods: ['GET', 'PUT', 'POST', 'HEAD', 'OPTIONS'],
      exposeHeaders: ['etag', 'idempotent-replayed', 'x-id'],
    });
    const methods = new Set(routeTable.map((route) => route.method));
    expect(new Set(CORS_POLICY.allowMethods)).toEqual(new Set([...methods, 'OPTIONS']));
    const headerParameters = documentModel.operations.flatMap((operation) =>
      operation.parametersIn.header.map((parameter) => parameter.name.toLowerCase()),
    );
    expect(new Set(CORS_POLICY.allowHeaders)).toEqual(
      new Set([
        'content-type',
        'authorization',
        API_KEY_HEADER,
        ...headerParameters,
        ...openApiDocument['x-tap-cors-allow-headers'],
      ]),
    );
    const responseHeaders = documentModel.operations.flatMap((operation) =>
      Object.values(operation.responses).flatMap((response) =>
        response.headers.map((header) => header.name.toLowerCase()),
      ),
    );
    expect(new Set(CORS_POLICY.exposeHeaders)).toEqual(new Set(responseHeaders));
  });

  it("read the resource server, the scopes and each route's scopes from the document", () => {
    const facts = factsOf(contract());
    expect(facts.resourceServer).toBe('rs');
    expect(facts.scopes.map((scope) => scope.name)).toEqual(['a:read', 'a:write']);
    expect(facts.routes.map((route) => [route.operationId, route.scopes])).toEqual([
      ['listItems', ['a:read']],
      ['putThing', ['a:write']],
      ['createFileUpload', ['a:write']],
      ['open', []],
    ]);
    expect(contractFacts.resourceServer).toBe(
      openApiDocument.components.securitySchemes.userToken['x-tap-resource-server'],
    );
  });

  it('refuse alternatives with different scopes, undeclared scopes and guarded routes without any', () => {
    const withSecurity = (security: unknown): Record<string, unknown> => {
      const document = contract();
      const paths = document['paths'] as Record<string, Record<string, Record<string, unknown>>>;
      paths['/items']!['get']!['security'] = security;
      return document;
    };
    expect(() => factsOf(withSecurity([{ user: ['a:read'] }, { key: ['a:write'] }]))).toThrow(
      'GET /items: every security alternative must name one scheme and the same scopes',
    );
    expect(() => factsOf(withSecurity([{ user: ['a:delete'] }]))).toThrow(
      'GET /items names undeclared scopes: a:delete',
    );
    expect(() => factsOf(withSecurity([{ key: [] }]))).toThrow(
      'GET /items requires a credential but names no scope',
    );
  });

  it('read the limits and the entity tag grammar from the document', () => {
    expect(factsOf(contract())).toMatchObject({
      maxRequestBodyBytes: 1000,
      maxUploadBytes: 7,
      entityTagPattern: '^"[a-z]+"$',
      ifMatchPattern: '^x$',
      maxAttributes: 3,
      defaultPageSize: 5,
      idempotencyKeyHeader: 'idempotency-key',
      idempotentReplayedHeader: 'idempotent-replayed',
      idempotencyExpirySeconds: 60,
      maxFilesPerItem: 4,
      maxBytesPerItem: 4000,
      acceptedContentTypes: ['text/plain', 'text/html'],
      octetStreamContentTypes: ['text/html'],
    });
    expect(
      factsOf(contract()).routes.map((route) => [route.operationId, route.idempotent]),
    ).toEqual([
      ['listItems', false],
      ['putThing', false],
      ['createFileUpload', true],
      ['open', false],
    ]);
    expect(contractFacts.idempotencyExpirySeconds).toBe(
      openApiDocument['x-tap-idempotency-expiry-seconds'],
    );
    expect(contractFacts.maxFilesPerItem).toBe(openApiDocument['x-tap-max-files-per-item']);
    expect(contractFacts.maxBytesPerItem).toBe(openApiDocument['x-tap-max-bytes-per-item']);
    expect(contractFacts.acceptedContentTypes).toEqual(
      openApiDocument.components.schemas.FileContentType.enum,
    );
    expect(
      contractFacts.routes.filter((route) => route.idempotent).map((route) => route.operationId),
    ).toEqual(['createItem', 'updateItem', 'createFileUpload']);
    expect(contractFacts.maxAttributes).toBe(
      openApiDocument.components.schemas.Attributes.maxProperties,
    );
    expect(contractFacts.maxRequestBodyBytes).toBe(openApiDocument['x-tap-max-request-body-bytes']);
    expect(contractFacts.maxUploadBytes).toBe(
      openApiDocument.components.schemas.CreateFileUploadRequest.properties.contentLength.maximum,
    );
    expect(contractFacts.entityTagPattern).toBe(
      openApiDocument.components.headers.ETag.schema.pattern,
    );
    expect(contractFacts.ifMatchPattern).toBe(
      openApiDocument.components.parameters.IfMatch.schema.pattern,
    );
  });

  it('refuse a document that leaves one out or says it two ways', () => {
    expect(() => factsOf(contract({ 'x-tap-max-request-body-bytes': undefined }))).toThrow(
      "The contract's x-tap-max-request-body-bytes must be a positive integer",
    );
    expect(() => factsOf(contract({ components: { securitySchemes: {} } }))).toThrow(
      'exactly one API key header scheme',
    );
    expect(() => factsOf(contract({ 'x-tap-max-files-per-item': 0 }))).toThrow(
      "The contract's x-tap-max-files-per-item must be a positive integer",
    );
    expect(() =>
      factsOf(contract({ 'x-tap-octet-stream-content-types': ['image/svg+xml'] })),
    ).toThrow('x-tap-octet-stream-content-types names types FileContentType does not accept');
    const unmarkedReplay = contract();
    const uploads = unmarkedReplay['paths'] as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    uploads['/files']!['post']!['responses'] = { '201': { description: 'ok' } };
    expect(() => factsOf(unmarkedReplay)).toThrow(
      'POST /files takes an Idempotency-Key, so every success must declare Idempotent-Replayed',
    );
    const noAttributeBound = contract();
    (noAttributeBound['components'] as Record<string, unknown>)['schemas'] = {
      Attributes: { type: 'object' },
    };
    expect(() => factsOf(noAttributeBound)).toThrow(
      'The contract must bound Attributes with maxProperties',
    );
    const twoTags = contract();
    const paths = twoTags['paths'] as Record<string, Record<string, Record<string, unknown>>>;
    paths['/open']!['head']!['responses'] = {
      '200': { description: 'ok', headers: { etag: { schema: { type: 'string' } } } },
    };
    expect(() => factsOf(twoTags)).toThrow(
      'The contract must give every ETag response header one pattern',
    );
  });
});

describe('the entity tag grammar', () => {
  const etag = new RegExp(contractFacts.entityTagPattern, 'u');
  const ifMatch = new RegExp(contractFacts.ifMatchPattern, 'u');
  const versions = [1, 9, 10, 42, 999_999_999_999_999];

  it('writes a version as a strong entity tag', () => {
    for (const version of versions) expect(etag.test(`"${version}"`)).toBe(true);
    for (const text of ['"0"', '"01"', '1', 'W/"1"', '"1000000000000000"']) {
      expect(etag.test(text)).toBe(false);
    }
  });

  it('accepts in If-Match every ETag it writes, its weak form, and *', () => {
    for (const version of versions) {
      expect(ifMatch.test(`"${version}"`)).toBe(true);
      expect(ifMatch.test(`W/"${version}"`)).toBe(true);
    }
    expect(ifMatch.test('*')).toBe(true);
    for (const text of ['', '**', 'w/"1"', '"1", "2"', '"abc"', 'W/1']) {
      expect(ifMatch.test(text)).toBe(false);
    }
  });
});
