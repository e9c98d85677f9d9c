// Loaded with `node -r` before an emulator: exits when the parent JVM goes away (its stdin pipe closes),
// so a killed test run or local run never leaves an emulator holding a port.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();

// A client that aborts a request mid-flight (an SDK attempt timeout on a busy machine) makes dynalite's socket
// throw ECONNRESET/EPIPE with no handler, which would kill the emulator for every later test. Those are the
// client's business; anything else still ends the process.
process.on('uncaughtException', (err) => {
  if (err && (err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code === 'ECONNABORTED')) {
    console.error(`[watchdog] ignored ${err.code} from a client that went away`);
    return;
  }
  console.error(err);
  process.exit(1);
});

// NodeEmulator asks for "any free port" with WATCHDOG_ANY_PORT=1 (some emulators read a port of 0 as "my default
// port"): the emulator binds port 0 and this line tells the launcher which one it got, so no port is picked,
// released and bound later by someone else.
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (process.env.WATCHDOG_ANY_PORT === '1' && typeof args[0] === 'number') {
    args[0] = 0;
  }
  this.once('listening', () => {
    const address = this.address();
    if (address && typeof address === 'object') {
      console.log(`[watchdog] listening on port ${address.port}`);
    }
  });
  return listen.apply(this, args);
};
