/**
 * A growable FIFO on a power-of-two circular array: O(1) push and shift without Array#shift's
 * copying, and no garbage per operation once it has grown to its working size. Slots are
 * cleared on shift so a popped item can be garbage collected (client-go's queue does the same).
 */
export class RingBuffer<T> {
  #items: Array<T | undefined>;
  #mask: number;
  #head = 0;
  #length = 0;

  constructor(initialCapacity = 16) {
    let capacity = 4;
    while (capacity < initialCapacity) capacity *= 2;
    this.#items = new Array<T | undefined>(capacity).fill(undefined);
    this.#mask = capacity - 1;
  }

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    if (this.#length > this.#mask) this.#grow();
    this.#items[(this.#head + this.#length) & this.#mask] = item;
    this.#length++;
  }

  /** Removes and returns the oldest item; the caller checks `length > 0` first. */
  shift(): T {
    const head = this.#head;
    const item = this.#items[head] as T;
    this.#items[head] = undefined;
    this.#head = (head + 1) & this.#mask;
    this.#length--;
    return item;
  }

  #grow(): void {
    const old = this.#items;
    const capacity = old.length * 2;
    const items = new Array<T | undefined>(capacity).fill(undefined);
    for (let i = 0; i < this.#length; i++) items[i] = old[(this.#head + i) & this.#mask];
    this.#items = items;
    this.#head = 0;
    this.#mask = capacity - 1;
  }
}
