namespace Actors.Wal.Tests.Properties;

/// <summary>How an operation chooses its expected version relative to the stream's current one.</summary>
internal enum ExpectedVersionChoice
{
    Current,
    Any,
    NoStream,
    Stale,
    Ahead,
    Invalid,
}

/// <summary>How a simulated crash damages the bytes written after the last acknowledged operation.</summary>
internal enum CrashDamage
{
    None,
    Truncate,
    ZeroTail,
    AppendZeros,
}

/// <summary>One step of a generated operation sequence. Stream indexes select from <see cref="OperationGenerators.StreamIds"/>.</summary>
internal abstract record LogOperation;

/// <summary>Appends <see cref="EventCount"/> events of <see cref="PayloadSize"/> bytes (sizes above the limit are rejected).</summary>
internal sealed record AppendOperation(int Stream, ExpectedVersionChoice Expected, int EventCount, int PayloadSize) : LogOperation;

/// <summary>Checkpoints the stream at its current version minus <see cref="VersionsBack"/> (negative: above it).</summary>
internal sealed record CheckpointOperation(int Stream, int VersionsBack, int StateSize) : LogOperation;

internal sealed record DeleteOperation(int Stream, ExpectedVersionChoice Expected) : LogOperation;

internal sealed record AdvanceClockOperation(int Seconds) : LogOperation;

internal sealed record ReadAtVersionOperation(int Stream, int Version) : LogOperation;

/// <summary>Reads as of the clock's start plus <see cref="Seconds"/>.</summary>
internal sealed record ReadAtTimeOperation(int Stream, int Seconds) : LogOperation;

internal sealed record ReadEventsOperation(int Stream, int FromVersion, int ToVersion) : LogOperation;

/// <summary>
/// Starts <see cref="PendingAppends"/> appends without awaiting them, crashes the log (AbandonAsync), damages the
/// unacknowledged tail as <see cref="Damage"/> says (positions drawn from <see cref="Seed"/>) and reopens it.
/// </summary>
internal sealed record CrashOperation(int PendingAppends, CrashDamage Damage, int Seed) : LogOperation;
