namespace Actors.Orleans.Benchmarks.Hosting;

/// <summary>The write-ahead log's providers (Actors.Orleans); wired once that project builds.</summary>
internal static class WalProviders
{
    public static void Add(ISiloBuilder silo, string directory, int checkpointEveryEvents, int replayCheckpointEveryEvents) =>
        throw new NotSupportedException("the write-ahead log's providers are not wired into this build yet");
}
