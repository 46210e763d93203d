/**
 * The CRC-64 Azure Storage uses for `x-ms-content-crc64`: reflected polynomial 0x9A6C9329AC4BC9B5,
 * all-ones initial value and final XOR, the 8 result bytes little-endian.
 */
const POLY = 0x9a6c9329ac4bc9b5n;

/** The byte table split into 32-bit halves, so the byte loop runs on plain numbers. */
interface Table {
  lo: Uint32Array;
  hi: Uint32Array;
}

let table: Table | undefined;

/** Built on first use: few requests carry a CRC-64, and building it costs a few ms at start-up. */
function crcTable(): Table {
  if (table === undefined) {
    const lo = new Uint32Array(256);
    const hi = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = BigInt(n);
      for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n;
      lo[n] = Number(c & 0xffffffffn);
      hi[n] = Number(c >> 32n);
    }
    table = { lo, hi };
  }
  return table;
}

/** CRC-64 of `data` as 8 little-endian bytes. */
export function azureCrc64(data: Uint8Array): Buffer {
  const { lo: LO, hi: HI } = crcTable();
  let lo = 0xffffffff;
  let hi = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    const idx = (lo ^ (data[i] as number)) & 0xff;
    // crc = (crc >> 8) ^ TABLE[idx]
    const newLo = ((lo >>> 8) | (hi << 24)) ^ (LO[idx] as number);
    const newHi = (hi >>> 8) ^ (HI[idx] as number);
    lo = newLo >>> 0;
    hi = newHi >>> 0;
  }
  const out = Buffer.alloc(8);
  out.writeUInt32LE(~lo >>> 0, 0);
  out.writeUInt32LE(~hi >>> 0, 4);
  return out;
}
