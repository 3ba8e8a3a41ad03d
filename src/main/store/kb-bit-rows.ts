/**
 * The sign bits of one base's vectors (one model and size) in memory, with their chunk ids, and their Hamming
 * distances to a query's bits counted by a small WebAssembly function (xor and popcount over 64-bit words: a
 * million rows of 1,536 bits in about 20 ms, where a SQL function called per row takes half a second).
 */

/**
 * `hamming(query, rows, count, stride, out)`: for each of `count` rows of `stride` bytes (a multiple of 8) from
 * `rows`, the number of bits that differ from the `stride` bytes at `query`, stored as a u16 at `out`.
 */
const HAMMING_BODY = [
  ...[0x02, 0x02, 0x7f, 0x01, 0x7e], // locals: 5, 6 i32 (byte offset in the row), 7 i64 (distance)
  ...[0x02, 0x40, 0x20, 0x02, 0x45, 0x0d, 0x00], // block; if count == 0 leave
  ...[0x03, 0x40], // loop over rows
  ...[0x42, 0x00, 0x21, 0x07, 0x41, 0x00, 0x21, 0x05], // distance = 0; offset = 0
  ...[0x03, 0x40], // loop over 64-bit words
  ...[0x20, 0x07, 0x20, 0x01, 0x20, 0x05, 0x6a, 0x29, 0x03, 0x00], // distance, load64(rows + offset)
  ...[0x20, 0x00, 0x20, 0x05, 0x6a, 0x29, 0x03, 0x00], // load64(query + offset)
  ...[0x85, 0x7b, 0x7c, 0x21, 0x07], // distance += popcnt(xor)
  ...[0x20, 0x05, 0x41, 0x08, 0x6a, 0x22, 0x05, 0x20, 0x03, 0x49, 0x0d, 0x00, 0x0b], // offset += 8 while < stride
  ...[0x20, 0x04, 0x20, 0x07, 0xa7, 0x3b, 0x01, 0x00], // store16(out, distance)
  ...[0x20, 0x04, 0x41, 0x02, 0x6a, 0x21, 0x04], // out += 2
  ...[0x20, 0x01, 0x20, 0x03, 0x6a, 0x21, 0x01], // rows += stride
  ...[0x20, 0x02, 0x41, 0x01, 0x6b, 0x22, 0x02, 0x0d, 0x00, 0x0b], // while --count
  ...[0x0b, 0x0b],
];

/** The part of the WebAssembly API used here (the main process's type libraries do not declare it). */
interface Wasm {
  Memory: new (descriptor: {
    initial: number;
  }) => { readonly buffer: ArrayBuffer; grow(pages: number): number };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

function section(id: number, content: number[]): number[] {
  return [id, content.length, ...content];
}

function name(text: string): number[] {
  return [text.length, ...Array.from(text, (char) => char.charCodeAt(0))];
}

const HAMMING_MODULE = new wasm.Module(
  new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]),
    ...section(2, [0x01, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, ...name('hamming'), 0x00, 0x00]),
    ...section(10, [0x01, HAMMING_BODY.length, ...HAMMING_BODY]),
  ]),
);

const PAGE = 65_536;
/** A chunk id is never 0: an empty slot of the id lookup. */
const EMPTY = 0;
const GONE = -1;

export class KbBitRows {
  /** Bytes a row takes: the sign bits rounded up to whole 64-bit words. */
  readonly stride: number;
  private readonly memory = new wasm.Memory({ initial: 1 });
  private readonly hammingOf: (
    query: number,
    rows: number,
    count: number,
    stride: number,
    out: number,
  ) => void;
  private capacity = 0;
  private rows = 0;
  private gone = 0;
  /** Chunk id of each row, GONE for a deleted one. */
  private ids = new Int32Array(0);
  /** Chunk id → row, open addressing (a key stays when its row goes; its row then holds another id or GONE). */
  private slotKeys = new Int32Array(0);
  private slotRows = new Int32Array(0);

  constructor(bitBytes: number) {
    this.stride = Math.ceil(bitBytes / 8) * 8;
    const instance = new wasm.Instance(HAMMING_MODULE, { env: { memory: this.memory } });
    this.hammingOf = instance.exports.hamming as typeof this.hammingOf;
    this.reserve(1024);
  }

  /** Bytes held: the bits, the ids, the distances and the id lookup. */
  get bytes(): number {
    return this.memory.buffer.byteLength + this.ids.byteLength + this.slotKeys.byteLength * 2;
  }

  /** Chunk id of each row (rows of deleted chunks hold -1). */
  get chunkIds(): Int32Array {
    return this.ids.subarray(0, this.rows);
  }

  /** Stores the chunk's bits: in its row when held, else in a new one. */
  put(chunkId: number, bits: Uint8Array): void {
    let row = this.rowOf(chunkId);
    if (row < 0) {
      if (this.rows === this.capacity) this.reserve(Math.ceil(this.capacity * 1.25));
      row = this.rows++;
      this.ids[row] = chunkId;
      this.remember(chunkId, row);
    }
    const bytes = new Uint8Array(this.memory.buffer, this.rowsAt + row * this.stride, this.stride);
    bytes.fill(0);
    bytes.set(bits.subarray(0, this.stride));
  }

  delete(chunkId: number): void {
    const row = this.rowOf(chunkId);
    if (row < 0) return;
    this.ids[row] = GONE;
    this.gone++;
    if (this.gone > 1024 && this.gone * 4 > this.rows) this.compact();
  }

  /** Each row's Hamming distance to the query's bits (valid until the next change). */
  distances(query: Uint8Array): Uint16Array {
    const memory = new Uint8Array(this.memory.buffer);
    memory.fill(0, 0, this.stride);
    memory.set(query.subarray(0, this.stride), 0);
    this.hammingOf(0, this.rowsAt, this.rows, this.stride, this.distancesAt);
    return new Uint16Array(this.memory.buffer, this.distancesAt, this.rows);
  }

  /** The query's bits come first, then the rows; the distances after the rows' capacity. */
  private get rowsAt(): number {
    return this.stride;
  }

  private get distancesAt(): number {
    return this.rowsAt + this.capacity * this.stride;
  }

  private reserve(capacity: number): void {
    const needed = this.rowsAt + capacity * (this.stride + 2);
    const pages = Math.ceil(needed / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (pages > 0) this.memory.grow(pages);
    const ids = new Int32Array(capacity);
    ids.set(this.ids.subarray(0, this.rows));
    this.ids = ids;
    this.capacity = capacity;
    this.rehash();
  }

  private rowOf(chunkId: number): number {
    const mask = this.slotKeys.length - 1;
    for (let slot = hash(chunkId) & mask; ; slot = (slot + 1) & mask) {
      const key = this.slotKeys[slot] ?? EMPTY;
      if (key === EMPTY) return -1;
      if (key === chunkId) {
        const row = this.slotRows[slot] ?? -1;
        return this.ids[row] === chunkId ? row : -1;
      }
    }
  }

  private remember(chunkId: number, row: number): void {
    const mask = this.slotKeys.length - 1;
    let slot = hash(chunkId) & mask;
    while (this.slotKeys[slot] !== EMPTY && this.slotKeys[slot] !== chunkId) slot = (slot + 1) & mask;
    this.slotKeys[slot] = chunkId;
    this.slotRows[slot] = row;
  }

  /** A lookup of twice the capacity (rounded up to a power of two), holding the live rows only. */
  private rehash(): void {
    let slots = 1;
    while (slots < this.capacity * 2) slots *= 2;
    this.slotKeys = new Int32Array(slots);
    this.slotRows = new Int32Array(slots);
    for (let row = 0; row < this.rows; row++) {
      const id = this.ids[row] ?? GONE;
      if (id !== GONE) this.remember(id, row);
    }
  }

  /** Moves the live rows down over the deleted ones. */
  private compact(): void {
    const memory = new Uint8Array(this.memory.buffer);
    let kept = 0;
    for (let row = 0; row < this.rows; row++) {
      const id = this.ids[row] ?? GONE;
      if (id === GONE) continue;
      if (kept !== row) {
        const from = this.rowsAt + row * this.stride;
        memory.copyWithin(this.rowsAt + kept * this.stride, from, from + this.stride);
        this.ids[kept] = id;
      }
      kept++;
    }
    this.rows = kept;
    this.gone = 0;
    this.rehash();
  }
}

function hash(chunkId: number): number {
  return Math.imul(chunkId, 0x9e3779b1) >>> 0;
}
