using Actors.Benchmarks;

// Side-by-side runs of the engine's wake-up (scripts/wake-ab.sh): the spin count of the writer's and committer's wake-up
// signal, passed to the engine as AppContext data (the engine reads it when a log opens).
if (Environment.GetEnvironmentVariable("ACTORS_WAL_WAKEUP_SPIN") is { Length: > 0 } spin)
{
    AppContext.SetData("Actors.Wal.WakeUpSpinCount", spin);
}

// Side-by-side runs of the spare's zero-filling (scripts/rotation-ab.sh): bytes per fdatasynced chunk, 0 for one fsync at the end.
if (Environment.GetEnvironmentVariable("ACTORS_WAL_ZEROFILL_CHUNK") is { Length: > 0 } chunk)
{
    AppContext.SetData("Actors.Wal.ZeroFillChunkBytes", chunk);
}

// ... and the share (percent) of the active segment's expected lifetime its chunks are spread over, 0 for back to back.
if (Environment.GetEnvironmentVariable("ACTORS_WAL_ZEROFILL_SPREAD") is { Length: > 0 } spread)
{
    AppContext.SetData("Actors.Wal.ZeroFillSpreadPercent", spread);
}

// Side-by-side runs of the commit policy: waiting requests synced at once without lingering for more (default 64).
if (Environment.GetEnvironmentVariable("ACTORS_WAL_ENOUGH_TO_SYNC") is { Length: > 0 } enough)
{
    AppContext.SetData("Actors.Wal.EnoughToSync", enough);
}

return await BenchmarkApp.RunAsync(args);
