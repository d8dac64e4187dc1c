// Loaded with `node -r` before kinesis-local: kinesis-local hard-codes 0.0.0.0, and streamwreck's servers
// bind to loopback only. Every TCP listen() without an explicit path is forced onto STREAMWRECK_BIND_HOST
// (127.0.0.1 by default).
'use strict';
const net = require('net');
const host = process.env.STREAMWRECK_BIND_HOST || '127.0.0.1';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && !(first instanceof net.Server)) {
    if (first.path === undefined && first.fd === undefined && first.handle === undefined) {
      args[0] = Object.assign({}, first, { host });
    }
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] === 'string') {
      args[1] = host;
    } else {
      args.splice(1, 0, host);
    }
  }
  return listen.apply(this, args);
};
