// Loaded with `node -r` before an emulator: exits when the parent JVM goes away (its stdin pipe closes),
// so a killed test run or local run never leaves an emulator holding a port.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
