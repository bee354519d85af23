/**
 * Ctrl-C and SIGTERM for long commands: the first asks for a clean stop
 * (nothing half-read is stored; the next run continues), the second quits now.
 */
export function stopOnSignals(command: string, what: string): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  let count = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    count++;
    if (count > 1) process.exit(130);
    process.stderr.write(`\n${command}: ${sig}: ${what} (again to quit now)\n`);
    ac.abort(new Error(sig));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: ac.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
