// Jest setup for the TypeScript projects (jest.config.js): a test run may reach loopback only.
// Every TCP client in Node (fetch/undici, http, pg, jsforce) connects through net.Socket#connect,
// so a connection to any other host fails there with an error naming it — before any DNS lookup.
// Unix sockets (`path`) are local and allowed. Child processes a test starts are not covered.
const net = require('node:net');

const original = net.Socket.prototype.connect;

function isLoopback(host) {
  return host === 'localhost' || host === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(host);
}

net.Socket.prototype.connect = function connect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const opts = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
  const host = typeof opts.host === 'string' ? opts.host : 'localhost';
  if (opts.path === undefined && !isLoopback(host)) {
    const err = Object.assign(new Error(`test run: only loopback may be reached, not ${host}`), {
      code: 'ENETUNREACH',
    });
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return original.apply(this, args);
};
