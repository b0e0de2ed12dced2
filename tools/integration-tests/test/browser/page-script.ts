/**
 * The script the test page runs in Chromium, bundled by esbuild with `@tap/client`
 * pointing at the BUILT client (`dist/libs/tap-client/index.js`), so the browser exercises
 * what npm publishes. It reads the API's URL and key from the page's query string
 * (`?api=…&key=…&mode=journey|probe`) and publishes its outcome on `window`.
 */
import { API_KEY_HEADER } from '@tap/contracts';
import { createTapClient, uploadFile } from '@tap/client';
import { OUTCOME_GLOBAL, type OriginProbe, type PageFailure, type PageJourney } from './run-result';

/** Binary bytes (every byte value, twice), so a text or encoding mix-up cannot pass. */
const UPLOAD = Uint8Array.from({ length: 512 }, (_, index) => (index * 7 + 3) % 256);

/** The steps of the journey, in order; a failure names the one it stopped at. */
type Step = 'create item' | 'upload file' | 'list files' | 'get download url' | 'download';

async function journey(api: string, key: string): Promise<PageJourney | PageFailure> {
  let step: Step = 'create item';
  try {
    const tap = createTapClient({ baseUrl: api, apiKey: key });
    const created = await tap.POST('/api/items', {
      body: { name: 'made in a browser', tags: ['browser'] },
    });
    if (!created.data) throw new Error(`status ${created.response.status}`);
    const itemId = created.data.id;

    step = 'upload file';
    let uploadStatus = 0;
    const { fileId } = await uploadFile(tap, {
      itemId,
      fileName: 'bytes.bin',
      contentType: 'application/octet-stream',
      body: UPLOAD,
      // Records the storage's answer; uploadFile itself only says whether it was ok.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        uploadStatus = response.status;
        return response;
      },
    });

    step = 'list files';
    const listed = await tap.GET('/api/items/{id}/files', { params: { path: { id: itemId } } });
    if (!listed.data) throw new Error(`status ${listed.response.status}`);

    step = 'get download url';
    const grant = await tap.GET('/api/items/{id}/files/{fileId}', {
      params: { path: { id: itemId, fileId } },
    });
    if (!grant.data) throw new Error(`status ${grant.response.status}`);

    step = 'download';
    const download = await fetch(grant.data.downloadUrl);
    const downloaded = new Uint8Array(await download.arrayBuffer());

    return {
      ok: true,
      createStatus: created.response.status,
      itemId,
      fileId,
      uploadStatus,
      uploaded: [...UPLOAD],
      listedFileIds: listed.data.files.map((file) => file.fileId),
      downloadStatus: download.status,
      downloaded: [...downloaded],
    };
  } catch (error) {
    // Named by step, so a failing test says where the browser stopped and why.
    return { ok: false, step, message: String(error) };
  }
}

/** From an origin the API does not allow: the browser must not let the page read it. */
async function probe(api: string, key: string): Promise<OriginProbe> {
  try {
    const response = await fetch(`${api}/api/items`, { headers: { [API_KEY_HEADER]: key } });
    return { ok: true, refused: false, detail: `status ${response.status}` };
  } catch (error) {
    return { ok: true, refused: true, detail: String(error) };
  }
}

async function main(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const api = query.get('api') ?? '';
  const key = query.get('key') ?? '';
  const publish = (outcome: PageJourney | PageFailure | OriginProbe): void => {
    (window as unknown as Record<string, unknown>)[OUTCOME_GLOBAL] = outcome;
  };
  publish(query.get('mode') === 'probe' ? await probe(api, key) : await journey(api, key));
}

void main();
