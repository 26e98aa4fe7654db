// A minimal PNG encoder (truecolour, no alpha) for images the tool draws itself, such as `storyboard init`'s
// example keyframe.
import { crc32, deflateSync } from 'node:zlib';

/** Options of {@link encodePng}. */
interface EncodePngOptions {
  /** zlib level: 9 for small files, 0 for stored (uncompressed) data. Default 9. */
  readonly level?: number;
}

/** A truecolour PNG (8 bits per channel, no alpha, no interlace) with each row under filter type 0. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => readonly number[], options: EncodePngOptions = {}): Uint8Array {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r = 0, g = 0, b = 0] = pixel(x, y);
      raw.set([r, g, b], y * stride + 1 + x * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no alpha, not interlaced
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: options.level ?? 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
