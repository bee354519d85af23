/** The local-file resolver for the images an image-only page refers to (NAME_files/). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadResources, localResources } from '../../src/sources/local-resources.js';
import { ROOT } from '../helpers/gold.js';

const PAGE = join(ROOT, 'test', 'fixtures', 'ocr', 'filled-150.html');

describe('local resources', () => {
  it('reads a ref relative to the page, and a URL from NAME_files/ by its file name', async () => {
    const get = localResources(PAGE);
    const direct = await get(join(ROOT, 'test', 'fixtures', 'ocr', 'filled-150_files', 'page1.jpg'));
    expect(direct?.subarray(0, 2)).toEqual(new Uint8Array([0xff, 0xd8])); // a JPEG
    const byUrl = await get('http://www.example.gov.cn/art/2024/1/page2.jpg?v=3');
    expect(byUrl?.subarray(0, 2)).toEqual(new Uint8Array([0xff, 0xd8]));
  });

  it('never reads outside the page folder, and says nothing for what is not there', async () => {
    const get = localResources(PAGE);
    expect(await get(join(ROOT, 'package.json'))).toBeUndefined();
    expect(await get('../../../package.json')).toBeUndefined();
    expect(await get('http://www.example.gov.cn/missing.jpg')).toBeUndefined();
    const map = await loadResources(PAGE, ['http://x.gov.cn/page1.jpg', 'http://x.gov.cn/none.png']);
    expect([...map.keys()]).toEqual(['http://x.gov.cn/page1.jpg']);
  });
});
