namespace Actors.Wal;

/// <summary>Special values for the expected-version argument of <see cref="IEventLog.AppendAsync"/>.</summary>
public static class ExpectedVersion
{
    /// <summary>Skip the optimistic concurrency check.</summary>
    public const long Any = -1;

    /// <summary>The stream must be new or empty (never written).</summary>
    public const long NoStream = 0;
}
