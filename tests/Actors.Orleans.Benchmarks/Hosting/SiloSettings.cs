namespace Actors.Orleans.Benchmarks.Hosting;

/// <summary>What the benchmark's silo is configured with: which stores exist and where they keep their data.</summary>
/// <param name="WalDirectory">The write-ahead log's data directory; null when no chosen variant uses the log.</param>
/// <param name="PostgreSqlConnectionString">The ADO.NET storage's database; null when no chosen variant uses PostgreSQL.</param>
/// <param name="CheckpointEveryEvents">The WAL journaled grains' checkpoint interval in events.</param>
/// <param name="ReplayCheckpointBytes">The byte trigger of the activation section's WAL journaled grains' checkpoints.</param>
/// <param name="JournalHistory">What the WAL journaled grains' log keeps of the events their checkpoints cover.</param>
public sealed record SiloSettings(
    string? WalDirectory, string? PostgreSqlConnectionString, int CheckpointEveryEvents, long ReplayCheckpointBytes,
    WriteAheadLogHistory JournalHistory = WriteAheadLogHistory.KeepAll);
