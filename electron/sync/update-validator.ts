/**
 * Checks an incoming Yjs update before it touches the document (issue 6, "Validation and
 * authorization"). Order matters and follows the measured facts in the issue:
 *  1. decode with Y.decodeUpdate: it throws on exactly the inputs that make applyUpdate throw
 *     half-way, so a malformed update is refused before any state changes;
 *  2. reject clock gaps and references to unknown structs: Yjs would keep them pending silently;
 *  3. authorize every new struct by where it lands (root, key, coverage chunk) and by who wrote
 *     it (the peer's role, and tractor client-id bindings), and every delete by what it removes;
 *  4. only then apply.
 * Parts of an update the replica already has are skipped by Yjs and so are not judged: a sync
 * step 2 always carries the sender's whole delete set.
 */
import * as Y from 'yjs';
import { decodeSegments } from './coverage-codec.js';
import type { ClientBindings, Principal, Rejection } from './principal.js';
import {
  FIXED_META_KEYS,
  OPERATOR_OP_KINDS,
  OPERATOR_ROOTS,
  ROOTS,
  type RootName,
  OVERWRITABLE_ROOTS,
  WRITE_ONCE_REMOTE_ROOTS,
  isRootName,
  isValidRootValue,
  opRecordSchema,
  parseCoverageKey,
} from './schema.js';

export type ValidationResult =
  | {
      readonly ok: true;
      readonly newStructs: number;
      /** Map keys the update writes (new or overwritten), coverage batches not counted. */
      readonly keys: number;
      readonly deletes: number;
      readonly bindings: readonly [number, string][];
    }
  | { readonly ok: false; readonly rejection: Rejection };

interface Place {
  readonly root: RootName;
  readonly key: string;
  /** True for a segment batch inside a coverage chunk array. */
  readonly inChunk: boolean;
}

type Struct = Y.Item | Y.GC;
interface LocalStruct {
  readonly struct: Struct;
  place: Place | null;
}

class Reject extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.detail);
  }
}
const fail = (reason: Rejection['reason'], detail: string): never => {
  throw new Reject({ reason, detail });
};

type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];
type AnyType = Parameters<typeof Y.findRootTypeKey>[0];

export class UpdateValidator {
  private readonly rootNames = new Map<unknown, RootName>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly bindings: ClientBindings,
  ) {}

  validate(update: Uint8Array, principal: Principal): ValidationResult {
    let decoded: { structs: (Y.Item | Y.GC | Y.Skip)[]; ds: DeleteSet };
    try {
      decoded = Y.decodeUpdate(update);
    } catch (err) {
      return {
        ok: false,
        rejection: { reason: 'malformed', detail: `undecodable update: ${String(err)}` },
      };
    }
    try {
      return this.check(decoded.structs, decoded.ds, principal);
    } catch (err) {
      if (err instanceof Reject) return { ok: false, rejection: err.rejection };
      return {
        ok: false,
        rejection: { reason: 'malformed', detail: `unexpected structure: ${String(err)}` },
      };
    }
  }

  private check(
    structs: (Y.Item | Y.GC | Y.Skip)[],
    ds: DeleteSet,
    principal: Principal,
  ): ValidationResult {
    const store = this.doc.store;
    const local = new Map<number, LocalStruct[]>();
    const firstSeen = new Set<number>();
    const fresh: LocalStruct[] = [];
    for (const s of structs) {
      const { client, clock } = s.id;
      const state = Y.getState(store, client);
      if (!firstSeen.has(client)) {
        firstSeen.add(client);
        if (clock > state)
          fail('clock-gap', `client ${client} starts at ${clock}, replica has ${state}`);
      }
      if (s instanceof Y.Skip) {
        if (clock + s.length > state)
          fail('clock-gap', `update skips structs of client ${client} the replica lacks`);
        continue;
      }
      if (clock + s.length <= state) continue;
      const entry: LocalStruct = { struct: s, place: null };
      const list = local.get(client);
      if (list) list.push(entry);
      else local.set(client, [entry]);
      fresh.push(entry);
    }
    if (principal.role === 'viewer' && fresh.length > 0) fail('forbidden', 'viewers may not write');
    this.resolvePlaces(fresh, local);
    const newBindings = new Map<number, string>();
    const newKeys = new Set<string>();
    for (const entry of fresh) this.authorizeStruct(entry, principal, newBindings, newKeys);
    const deletes = this.checkDeletes(ds, local, principal);
    const keys = fresh.filter((e) => e.place !== null && !e.place.inChunk).length;
    return { ok: true, newStructs: fresh.length, keys, deletes, bindings: [...newBindings] };
  }

  /**
   * Resolves where each new item lands. An item may refer to one later in the same update
   * (another client's group), so this is a depth-first walk with an explicit stack: linear in
   * the update's size whatever the order, and a reference cycle (hostile) is refused.
   */
  private resolvePlaces(fresh: LocalStruct[], local: Map<number, LocalStruct[]>): void {
    const inProgress = new Set<LocalStruct>();
    for (const start of fresh) {
      if (!(start.struct instanceof Y.Item) || start.place !== null) continue;
      const stack = [start];
      inProgress.add(start);
      while (stack.length > 0) {
        const e = stack[stack.length - 1];
        if (!e) break;
        const dep = this.unresolvedDependency(e.struct as Y.Item, local);
        if (dep) {
          if (inProgress.has(dep)) fail('malformed', 'reference cycle in update');
          inProgress.add(dep);
          stack.push(dep);
          continue;
        }
        e.place = this.placeOfNewItem(e.struct as Y.Item, local);
        if (e.place === null)
          fail('clock-gap', 'update refers to structs the replica does not have');
        inProgress.delete(e);
        stack.pop();
      }
    }
  }

  /** The not-yet-placed item of this update that `item`'s place depends on, if any. */
  private unresolvedDependency(
    item: Y.Item,
    local: Map<number, LocalStruct[]>,
  ): LocalStruct | null {
    const parent: unknown = item.parent;
    if (typeof parent === 'string') return null;
    const ref = parent instanceof Y.ID ? parent : (item.origin ?? item.rightOrigin);
    if (ref === null) return null;
    const list = local.get(ref.client);
    const hit = list ? findLocal(list, ref.clock) : undefined;
    return hit && hit.struct instanceof Y.Item && hit.place === null ? hit : null;
  }

  private placeOfNewItem(item: Y.Item, local: Map<number, LocalStruct[]>): Place | null {
    const parent: unknown = item.parent;
    if (typeof parent === 'string') {
      if (!isRootName(parent)) fail('forbidden', `unknown root type '${parent}'`);
      if (item.parentSub === null)
        fail('forbidden', `root '${parent}' is a map: list inserts are not allowed`);
      return { root: parent as RootName, key: item.parentSub ?? '', inChunk: false };
    }
    if (parent instanceof Y.ID) {
      const owner = this.placeOfId(parent, local);
      if (owner === null) return null;
      if (owner.inChunk || owner.root !== ROOTS.coverage)
        fail('forbidden', 'nested types exist only as coverage chunks');
      return { root: owner.root, key: owner.key, inChunk: true };
    }
    const ref = item.origin ?? item.rightOrigin;
    if (ref === null) return fail('malformed', 'item without parent or neighbours');
    return this.placeOfId(ref, local);
  }

  /** The place of the struct holding `id`, from this update or the replica; null if not yet known. */
  private placeOfId(id: Y.ID, local: Map<number, LocalStruct[]>): Place | null {
    const list = local.get(id.client);
    if (list) {
      const hit = findLocal(list, id.clock);
      if (hit)
        return hit.struct instanceof Y.GC
          ? fail('forbidden', 'refers to garbage-collected struct')
          : hit.place;
    }
    const structs = this.doc.store.clients.get(id.client);
    if (!structs || id.clock >= Y.getState(this.doc.store, id.client)) {
      return fail('clock-gap', `refers to unknown struct ${id.client}:${id.clock}`);
    }
    const s = structs[Y.findIndexSS(structs, id.clock)];
    if (!(s instanceof Y.Item)) return fail('forbidden', 'refers to garbage-collected struct');
    return this.placeOfDocItem(s);
  }

  private placeOfDocItem(item: Y.Item): Place {
    const parent = item.parent;
    if (!(parent instanceof Y.AbstractType))
      return fail('forbidden', 'struct without integrated parent');
    const t = parent;
    if (t._item === null) {
      const root = this.rootNameOf(t);
      return { root, key: item.parentSub ?? '', inChunk: false };
    }
    const outer = this.placeOfDocItem(t._item);
    if (outer.inChunk) fail('forbidden', 'nested too deep');
    return { root: outer.root, key: outer.key, inChunk: true };
  }

  private rootNameOf(t: AnyType): RootName {
    let name = this.rootNames.get(t);
    if (name === undefined) {
      const key = Y.findRootTypeKey(t);
      if (!isRootName(key)) return fail('forbidden', `unknown root type '${key}'`);
      name = key;
      this.rootNames.set(t, name);
    }
    return name;
  }

  private authorizeStruct(
    entry: LocalStruct,
    principal: Principal,
    newBindings: Map<number, string>,
    newKeys: Set<string>,
  ): void {
    const s = entry.struct;
    if (!(s instanceof Y.Item))
      return fail('forbidden', 'garbage-collected structs are never produced by this schema');
    const place = entry.place;
    if (!place) return fail('clock-gap', 'unresolved parent');
    const writer = this.writerOf(s.id.client, principal, newBindings);
    if (writer.role === 'operator' && !OPERATOR_ROOTS.has(place.root))
      fail('forbidden', `a remote operator may not write ${place.root}/${place.key}`);
    const content = s.content;
    if (content instanceof Y.ContentDeleted) {
      this.authorizeDelete(place, writer);
      return;
    }
    if (place.inChunk) {
      const k = parseCoverageKey(place.key);
      if (!k || k.client !== s.id.client)
        fail('forbidden', `client ${s.id.client} may not append to chunk ${place.key}`);
      if (writer.role === 'tractor' && k?.tractorId !== writer.id)
        fail('forbidden', `${writer.id} may not write ${place.key}`);
      if (s.rightOrigin !== null)
        fail('forbidden', 'coverage is append-only: insert before existing batch');
      if (!(content instanceof Y.ContentBinary))
        return fail('invalid-content', 'coverage batches are binary');
      try {
        decodeSegments(content.content);
      } catch (err) {
        fail('invalid-content', String(err));
      }
      return;
    }
    if (
      writer.role === 'tractor' &&
      place.root !== ROOTS.coverage &&
      !(place.root === ROOTS.tractors && place.key === writer.id)
    ) {
      fail(
        'forbidden',
        `tractor ${writer.id} may write only its coverage and status, not ${place.root}/${place.key}`,
      );
    }
    if (isWriteOnce(place)) {
      const slot = `${place.root}/${place.key}`;
      if (
        s.origin !== null ||
        s.rightOrigin !== null ||
        newKeys.has(slot) ||
        this.doc.getMap(place.root)._map.has(place.key)
      ) {
        fail('forbidden', `${slot} is written once and is already there`);
      }
      newKeys.add(slot);
    }
    if (place.root === ROOTS.coverage) {
      const k = parseCoverageKey(place.key);
      if (!k || k.client !== s.id.client)
        fail('forbidden', `client ${s.id.client} may not create chunk ${place.key}`);
      if (writer.role === 'tractor' && k?.tractorId !== writer.id)
        fail('forbidden', `${writer.id} may not create ${place.key}`);
      if (!(content instanceof Y.ContentType) || !(content.type instanceof Y.Array))
        fail('invalid-content', 'a coverage chunk is a Y.Array');
      return;
    }
    if (!(content instanceof Y.ContentAny) || content.arr.length !== 1)
      return fail('invalid-content', `${place.root} holds plain values`);
    if (!isValidRootValue(place.root, place.key, content.arr[0]))
      fail('invalid-content', `bad value for ${place.root}/${place.key}`);
    if (writer.role === 'operator' && place.root === ROOTS.ops) {
      const op = opRecordSchema.safeParse(content.arr[0]);
      if (!op.success || !OPERATOR_OP_KINDS.has(op.data.kind))
        fail('forbidden', `a remote operator may not record ${place.root}/${place.key}`);
    }
  }

  /** The rules a struct is held to: its tractor's when the client id is bound to one. */
  private writerOf(
    client: number,
    principal: Principal,
    newBindings: Map<number, string>,
  ): Principal {
    const bound = this.bindings.tractorOf(client) ?? newBindings.get(client);
    if (principal.role === 'tractor') {
      if (bound !== undefined && bound !== principal.id)
        fail('client-spoofed', `client ${client} belongs to ${bound}`);
      if (bound === undefined) newBindings.set(client, principal.id);
      return principal;
    }
    return bound !== undefined ? { role: 'tractor', id: bound } : principal;
  }

  private authorizeDelete(place: Place, writer: Principal): void {
    if (place.inChunk || isWriteOnce(place))
      fail('forbidden', `${place.root}/${place.key} may not be deleted`);
    if (writer.role === 'operator' && !OPERATOR_ROOTS.has(place.root))
      fail('forbidden', `a remote operator may not delete ${place.root}/${place.key}`);
    if (writer.role === 'tractor' && !(place.root === ROOTS.tractors && place.key === writer.id)) {
      fail('forbidden', `tractor ${writer.id} may not delete ${place.root}/${place.key}`);
    }
  }

  private checkDeletes(
    ds: DeleteSet,
    local: Map<number, LocalStruct[]>,
    principal: Principal,
  ): number {
    let count = 0;
    const store = this.doc.store;
    for (const [client, ranges] of ds.clients) {
      const structs = store.clients.get(client);
      const state = Y.getState(store, client);
      const list = local.get(client);
      for (const { clock, len } of ranges) {
        let c = clock;
        const end = clock + len;
        while (c < end) {
          if (c < state && structs) {
            const s = structs[Y.findIndexSS(structs, c)];
            if (!s) fail('malformed', 'delete range outside the replica');
            if (s instanceof Y.Item && !s.deleted) {
              if (principal.role === 'viewer') fail('forbidden', 'viewers may not delete');
              // The delete set names the item's author, not the deleter: judge the peer itself.
              this.authorizeDelete(this.placeOfDocItem(s), principal);
              count++;
            }
            c = (s?.id.clock ?? c) + (s?.length ?? 1);
            continue;
          }
          const hit = list ? findLocal(list, c) : undefined;
          if (!hit) {
            // Beyond everything known: a sync step 2 carries the sender's whole delete set,
            // including deletes of structs this replica has not received. Yjs would park them
            // as pending; UpdateGate drops them instead, and they arrive again, and are judged,
            // with the structs they delete.
            break;
          }
          if (hit.struct instanceof Y.Item && hit.place) {
            if (principal.role === 'viewer') fail('forbidden', 'viewers may not delete');
            this.authorizeDelete(hit.place, principal);
            count++;
          }
          c = hit.struct.id.clock + hit.struct.length;
        }
      }
    }
    return count;
  }
}

/**
 * Keys no remote writer overwrites or deletes once written: everything in the append-only
 * roots, the job's fixed meta keys and the sections. A replica's own writes never pass here.
 */
function isWriteOnce(place: Place): boolean {
  if (!OVERWRITABLE_ROOTS.has(place.root)) return true;
  if (place.root === ROOTS.meta) return FIXED_META_KEYS.has(place.key);
  return WRITE_ONCE_REMOTE_ROOTS.has(place.root);
}

function findLocal(list: LocalStruct[], clock: number): LocalStruct | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = list[mid];
    if (!e) break;
    const start = e.struct.id.clock;
    if (clock < start) hi = mid - 1;
    else if (clock >= start + e.struct.length) lo = mid + 1;
    else return e;
  }
  return undefined;
}
