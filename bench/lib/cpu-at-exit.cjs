/**
 * @module Preloaded (`node --require`) into every Node process the benchmarks start: at exit it writes the
 * process's own CPU time (user + system, microseconds) and its minor page faults (memory it touched for
 * the first time), both from getrusage, to the file named by PSE_DOCTOR_BENCH_CPU_FILE, as
 * "<cpu> <faults>". /usr/bin/time rounds to 10 ms, too coarse for start-up rows; this is exact, and costs
 * every Node row (the `node -e 0` baseline too) the same few hundred microseconds.
 */
const file = process.env.PSE_DOCTOR_BENCH_CPU_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    require('node:fs').writeFileSync(file, `${u.userCPUTime + u.systemCPUTime} ${u.minorPageFault}\n`);
  });
}
