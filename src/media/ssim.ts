// Structural similarity (SSIM) of two 8-bit luma planes, the mean over 8×8 windows (Wang et al. 2004,
// constants for 8-bit video): 1 for identical pictures, ~0.9+ for a frame and its neighbour in a continuous
// shot, far lower across a cut. Pure.

const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;
const WINDOW = 8;

/** Mean SSIM of two W×H luma planes (non-overlapping 8×8 windows). */
export function ssimLuma(a: Uint8Array, b: Uint8Array, width: number, height: number): number {
  let total = 0;
  let windows = 0;
  const n = WINDOW * WINDOW;
  for (let y0 = 0; y0 + WINDOW <= height; y0 += WINDOW) {
    for (let x0 = 0; x0 + WINDOW <= width; x0 += WINDOW) {
      let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      for (let y = y0; y < y0 + WINDOW; y++) {
        const row = y * width;
        for (let x = x0; x < x0 + WINDOW; x++) {
          const va = a[row + x] ?? 0;
          const vb = b[row + x] ?? 0;
          sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb;
        }
      }
      const ma = sa / n, mb = sb / n;
      const va = saa / n - ma * ma, vb = sbb / n - mb * mb, cov = sab / n - ma * mb;
      total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      windows++;
    }
  }
  return windows === 0 ? 1 : total / windows;
}
