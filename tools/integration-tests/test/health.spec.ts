import { expectContractResponse } from './support/contract';
import { itLocally, startTarget, type Target } from './support/target';

describe('GET /health', () => {
  let target: Target;

  beforeAll(async () => {
    target = await startTarget();
  });

  afterAll(async () => {
    await target.stop();
  });

  it('answers 200 with every dependency up, without an API key', async () => {
    const { data, response } = await target.anonymous.GET('/health');
    expect(response.status).toBe(200);
    await expectContractResponse('getHealth', response, data);
    expect(data).toMatchObject({
      status: 'ok',
      dependencies: { dynamodb: { status: 'up' }, s3: { status: 'up' } },
    });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  itLocally('answers 503 naming s3 while S3 is down, and 200 once it is back', async () => {
    const s3 = target.cloud!.services.s3;
    await s3.stop();
    try {
      const { data, error, response } = await target.anonymous.GET('/health');
      expect(response.status).toBe(503);
      await expectContractResponse('getHealth', response, error ?? data);
      expect(error ?? data).toMatchObject({
        status: 'unavailable',
        dependencies: { dynamodb: { status: 'up' }, s3: { status: 'down' } },
      });
      expect(JSON.stringify(error ?? data)).not.toMatch(/arn:|127\.0\.0\.1|ECONNREFUSED/);
    } finally {
      await s3.start();
    }
    const { response } = await target.anonymous.GET('/health');
    expect(response.status).toBe(200);
  });

  itLocally('answers 503 naming dynamodb while DynamoDB is down', async () => {
    const dynamodb = target.cloud!.services.dynamodb;
    await dynamodb.stop();
    try {
      const { data, error, response } = await target.anonymous.GET('/health');
      expect(response.status).toBe(503);
      expect(error ?? data).toMatchObject({
        dependencies: { dynamodb: { status: 'down' }, s3: { status: 'up' } },
      });
    } finally {
      await dynamodb.start();
    }
  });
});
