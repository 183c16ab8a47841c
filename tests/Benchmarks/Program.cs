using Actors.Benchmarks;

// Side-by-side runs of the engine's wake-up (scripts/wake-ab.sh): the spin count of the writer's and committer's wake-up
// signal, passed to the engine as AppContext data (the engine reads it when a log opens).
if (Environment.GetEnvironmentVariable("ACTORS_WAL_WAKEUP_SPIN") is { Length: > 0 } spin)
{
    AppContext.SetData("Actors.Wal.WakeUpSpinCount", spin);
}

return await BenchmarkApp.RunAsync(args);
