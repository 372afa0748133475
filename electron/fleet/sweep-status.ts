/**
 * The status of a sweep line (Shamos & Hoey 1976): the segments the line crosses, in order along
 * it, as a treap (Seidel & Aragon 1996) so that inserting, removing and finding neighbours
 * cost O(log n) expected. An item is ordered once, when it is inserted, by a comparison against
 * the items already there; it is removed by its node, so the order is never asked again.
 */

export interface StatusNode<T> {
  readonly item: T;
  readonly priority: number;
  left: StatusNode<T> | null;
  right: StatusNode<T> | null;
  parent: StatusNode<T> | null;
}

export class SweepStatus<T> {
  private root: StatusNode<T> | null = null;
  private seed = 0x2545f491;

  /**
   * Inserts `item`; `compare(item, other)` is negative when `item` goes before `other` (below it
   * on the sweep line), positive when after.
   */
  insert(item: T, compare: (item: T, other: T) => number): StatusNode<T> {
    const node: StatusNode<T> = {
      item,
      priority: this.nextPriority(),
      left: null,
      right: null,
      parent: null,
    };
    if (!this.root) {
      this.root = node;
      return node;
    }
    let at = this.root;
    for (;;) {
      if (compare(item, at.item) < 0) {
        if (!at.left) {
          at.left = node;
          break;
        }
        at = at.left;
      } else {
        if (!at.right) {
          at.right = node;
          break;
        }
        at = at.right;
      }
    }
    node.parent = at;
    // Up while its parent ranks below it (rotations move it; read the parent afresh each time).
    for (let up = parentOf(node); up && up.priority < node.priority; up = parentOf(node))
      this.rotateUp(node);
    return node;
  }

  remove(node: StatusNode<T>): void {
    // Rotate it down below the child of higher priority until it is a leaf, then cut it off.
    for (;;) {
      const { left, right } = node;
      if (!left && !right) break;
      const up = !right || (left && left.priority > right.priority) ? left : right;
      if (up) this.rotateUp(up);
    }
    this.replace(node, null);
  }

  /** The neighbour before `node` on the sweep line, or null. */
  prev(node: StatusNode<T>): StatusNode<T> | null {
    if (node.left) {
      let at = node.left;
      while (at.right) at = at.right;
      return at;
    }
    let at = node;
    while (at.parent && at.parent.left === at) at = at.parent;
    return at.parent;
  }

  /** The neighbour after `node` on the sweep line, or null. */
  next(node: StatusNode<T>): StatusNode<T> | null {
    if (node.right) {
      let at = node.right;
      while (at.left) at = at.left;
      return at;
    }
    let at = node;
    while (at.parent && at.parent.right === at) at = at.parent;
    return at.parent;
  }

  /** Moves `node` above its parent, keeping the in-order sequence. */
  private rotateUp(node: StatusNode<T>): void {
    const parent = node.parent;
    if (!parent) return;
    if (parent.left === node) {
      parent.left = node.right;
      if (node.right) node.right.parent = parent;
      node.right = parent;
    } else {
      parent.right = node.left;
      if (node.left) node.left.parent = parent;
      node.left = parent;
    }
    this.replace(parent, node);
    parent.parent = node;
  }

  /** Puts `next` where `node` hangs from its parent (or the root). */
  private replace(node: StatusNode<T>, next: StatusNode<T> | null): void {
    const parent = node.parent;
    if (!parent) this.root = next;
    else if (parent.left === node) parent.left = next;
    else parent.right = next;
    if (next) next.parent = parent;
    node.parent = null;
  }

  /** xorshift32 (Marsaglia 2003): deterministic priorities, so a run is always the same. */
  private nextPriority(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }
}

function parentOf<T>(node: StatusNode<T>): StatusNode<T> | null {
  return node.parent;
}
