interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** Matches replies that arrive on a shared stream to the operations waiting for them, by key. */
export class Correlator<K, T = void> {
  private readonly waiting = new Map<K, Waiter<T>>();

  /** Registers interest in `key`; call before sending, as the reply may arrive before the send returns. */
  wait(key: K): Promise<T> {
    return new Promise<T>((resolve, reject) => this.waiting.set(key, { resolve, reject }));
  }

  resolve(key: K, value: T): boolean {
    const waiter = this.waiting.get(key);
    if (!waiter) return false; // not ours, or already failed
    this.waiting.delete(key);
    waiter.resolve(value);
    return true;
  }

  reject(key: K, error: Error): boolean {
    const waiter = this.waiting.get(key);
    if (!waiter) return false;
    this.waiting.delete(key);
    waiter.reject(error);
    return true;
  }

  rejectAll(error: Error): void {
    for (const [key, waiter] of this.waiting) {
      this.waiting.delete(key);
      waiter.reject(error);
    }
  }

  get size(): number {
    return this.waiting.size;
  }
}
