namespace Actors.Orleans.ClientDemo.Verification;

/// <summary>What one verification after a restart found.</summary>
public sealed class RecoveryReport
{
    private int _retried;

    /// <summary>Accounts checked.</summary>
    public int Accounts { get; set; }

    /// <summary>Customers checked.</summary>
    public int Customers { get; set; }

    /// <summary>Stored events compared one by one with the acknowledged calls.</summary>
    public long EventsCompared { get; set; }

    /// <summary>Stored events replayed to check each balance (whole histories).</summary>
    public long EventsReplayed { get; set; }

    /// <summary>Acknowledged calls (rejected ones included) this verification covered.</summary>
    public long AcknowledgedCalls { get; set; }

    /// <summary>Calls without an answer whose whole effect was found.</summary>
    public int InDoubtPresent { get; set; }

    /// <summary>Calls without an answer that left no trace.</summary>
    public int InDoubtAbsent { get; set; }

    /// <summary>The money all accounts hold.</summary>
    public decimal Money { get; set; }

    /// <summary>The money that must exist: paid in minus paid out.</summary>
    public decimal ExpectedMoney { get; set; }

    /// <summary>Reads sent again after a retryable error (<see cref="RetryingRead"/>).</summary>
    public int RetriedReads => _retried;

    /// <summary>The last retryable error a read was sent again after, or null.</summary>
    public string? LastRetriedError { get; private set; }

    /// <summary>Every mismatch, each naming the grain, the version and what was expected and found.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Counts a read sent again after <paramref name="error"/> (thread-safe).</summary>
    public void Retried(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Interlocked.Increment(ref _retried);
        LastRetriedError = $"{error.GetType().Name}: {error.Message.ReplaceLineEndings(" ")}";
    }

    /// <summary>True when nothing was wrong.</summary>
    public bool Passed => Failures.Count == 0;
}
