/** Keeps the first `count` of what it is offered in the order `before` gives, without sorting everything offered. */
export function topOf<T>(count: number, before: (a: T, b: T) => number): { offer(item: T): void; best(): T[] } {
  const best: T[] = [];
  return {
    offer(item) {
      if (best.length === count && before(item, best[count - 1] as T) >= 0) return;
      let at = best.length === count ? count - 1 : best.length;
      while (at > 0 && before(item, best[at - 1] as T) < 0) {
        best[at] = best[at - 1] as T;
        at -= 1;
      }
      best[at] = item;
    },
    best: () => best,
  };
}
