import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sniffMediaType } from '../../../src/backends/core/index.js';
import { SAMPLES } from './support-test-kit.js';

describe('sniffMediaType', () => {
  for (const [type, bytes] of Object.entries(SAMPLES)) {
    it(`recognises ${type} from its first bytes`, () => {
      assert.equal(sniffMediaType(bytes), type);
    });
  }

  it('recognises GIF87a as well as GIF89a', () => {
    assert.equal(sniffMediaType(new TextEncoder().encode('GIF87a......')), 'image/gif');
  });

  it('needs both RIFF and WEBP for WebP (a WAV file is RIFF too)', () => {
    assert.equal(sniffMediaType(new TextEncoder().encode('RIFF\x24\x00\x00\x00WAVEfmt ')), null);
  });

  it('returns null for text, truncated signatures and empty input', () => {
    assert.equal(sniffMediaType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')), null);
    assert.equal(sniffMediaType(new TextEncoder().encode('<html><script>alert(1)</script>')), null);
    assert.equal(sniffMediaType(SAMPLES['image/png']!.slice(0, 7)), null);
    assert.equal(sniffMediaType(new Uint8Array([0xff, 0xd8])), null);
    assert.equal(sniffMediaType(new Uint8Array(0)), null);
  });

  it('does not accept a PDF header that is not at the start', () => {
    assert.equal(sniffMediaType(new TextEncoder().encode('junk%PDF-1.4')), null);
  });
});
