/** The intersection of a tuple's members: [A, B] → A & B. */
type Both<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]]
  ? H & Both<R>
  : unknown;

/**
 * A base class for a backend whose ports live in their own objects (e.g. `SqliteUsageStore`): its
 * instances answer every method of the ports passed to `super(...)` by calling that port. A method
 * added to a port is written once, in each backend's port class — not forwarded by hand as well.
 * Typed by the tuple, so `super` must get one implementation of each port and the subclass's
 * `implements Store` still checks the whole store.
 */
export function delegatingTo<Ports extends object[]>(): new (...ports: Ports) => Both<Ports> {
  class Delegating {
    constructor(...ports: Ports) {
      for (const port of ports) bindMethods(this, port);
    }
  }
  return Delegating as unknown as new (...ports: Ports) => Both<Ports>;
}

/** Own properties on `target` calling `port`'s methods (found on its class chain, nearest first). */
function bindMethods(target: object, port: object): void {
  const seen = new Set<string>(['constructor']);
  for (let proto: unknown = Object.getPrototypeOf(port); proto !== Object.prototype && proto !== null;) {
    const chain = proto as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(chain)) {
      const method = chain[name];
      if (seen.has(name) || typeof method !== 'function') continue;
      seen.add(name);
      // Two ports, or a port and the store itself, answering one name would leave one of them dead.
      if (name in target) throw new Error(`store method ${name} is defined twice`);
      Object.defineProperty(target, name, {
        value: method.bind(port) as unknown,
        writable: true, // as a class method is: a test may still wrap one
        configurable: true,
      });
    }
    proto = Object.getPrototypeOf(chain);
  }
}
