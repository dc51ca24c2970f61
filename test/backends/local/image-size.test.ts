import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageSize } from '../../../src/backends/local/image-size.js';
import { CHROMIUM_JPEG_37x21, CHROMIUM_PNG_37x21, CHROMIUM_WEBP_37x21, fromBase64 } from './fixtures/chromium-images.js';
import { makeGif, makeJpeg, makePng, makeWebpVp8, makeWebpVp8l, makeWebpVp8x } from './fixtures/build-files.js';

describe('imageSize', () => {
  it('reads a PNG IHDR', () => {
    assert.deepEqual(imageSize(makePng(640, 480)), { width: 640, height: 480, format: 'png' });
    assert.deepEqual(imageSize(fromBase64(CHROMIUM_PNG_37x21)), { width: 37, height: 21, format: 'png' });
  });

  it('reads a GIF logical screen', () => {
    assert.deepEqual(imageSize(makeGif(300, 2)), { width: 300, height: 2, format: 'gif' });
  });

  it('reads a baseline and a progressive JPEG frame, skipping DHT (0xC4) and fill bytes', () => {
    assert.deepEqual(imageSize(makeJpeg(1920, 1080)), { width: 1920, height: 1080, format: 'jpeg' });
    assert.deepEqual(imageSize(makeJpeg(17, 4000, 0xc2)), { width: 17, height: 4000, format: 'jpeg' });
    assert.deepEqual(imageSize(fromBase64(CHROMIUM_JPEG_37x21)), { width: 37, height: 21, format: 'jpeg' });
  });

  it('reads WebP VP8, VP8L and VP8X headers', () => {
    assert.deepEqual(imageSize(makeWebpVp8(1024, 768)), { width: 1024, height: 768, format: 'webp' });
    assert.deepEqual(imageSize(makeWebpVp8l(16383, 1)), { width: 16383, height: 1, format: 'webp' });
    assert.deepEqual(imageSize(makeWebpVp8x(20000, 3)), { width: 20000, height: 3, format: 'webp' });
    assert.deepEqual(imageSize(fromBase64(CHROMIUM_WEBP_37x21)), { width: 37, height: 21, format: 'webp' });
  });

  it('refuses unknown, truncated and zero-sized images', () => {
    assert.equal(imageSize(new TextEncoder().encode('%PDF-1.4 not an image')), null);
    assert.equal(imageSize(makePng(10, 10).subarray(0, 20)), null);
    assert.equal(imageSize(makeJpeg(10, 10).subarray(0, 40)), null, 'JPEG cut before its frame header');
    assert.equal(imageSize(makePng(0, 10)), null);
    assert.equal(imageSize(new Uint8Array()), null);
    const badVp8 = makeWebpVp8(10, 10);
    badVp8[23] = 0; // broken start code
    assert.equal(imageSize(badVp8), null);
  });
});
