import { delegatingTo } from '../../src/store/delegatingTo';

interface Counter {
  next(): number;
}
interface Greeter {
  greet(name: string): string;
}

class CounterImpl implements Counter {
  private n = 0;
  next(): number {
    return ++this.n;
  }
}
class LoudCounter extends CounterImpl {
  override next(): number {
    return super.next() * 10;
  }
}
class GreeterImpl implements Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

describe('delegatingTo (a backend composed of its port objects)', () => {
  it('answers every method of each port by calling that port, with its own state', () => {
    class Both extends delegatingTo<[Counter, Greeter]>() {}
    const both = new Both(new CounterImpl(), new GreeterImpl());
    expect([both.next(), both.next(), both.greet('Ada')]).toEqual([1, 2, 'hello Ada']);
  });

  it("takes a port class's nearest override, as calling the port would", () => {
    class Loud extends delegatingTo<[Counter]>() {}
    expect(new Loud(new LoudCounter()).next()).toBe(10);
  });

  it('refuses a method two ports (or a port and the store) both answer', () => {
    class Twice extends delegatingTo<[Counter, Counter]>() {}
    expect(() => new Twice(new CounterImpl(), new CounterImpl())).toThrow('store method next is defined twice');
    class Own extends delegatingTo<[Greeter]>() {
      override greet(): string {
        return 'own';
      }
    }
    expect(() => new Own(new GreeterImpl())).toThrow('store method greet is defined twice');
  });
});
