using System.Globalization;

namespace Actors.Orleans.Crash.Tests;

/// <summary>What the kill cycles did and found.</summary>
public sealed class KillCycleResult
{
    /// <summary>Kill, restart and verify cycles completed.</summary>
    public int Cycles { get; set; }

    /// <summary>Acknowledged calls verified after restarts (rejected ones included).</summary>
    public long AcknowledgedVerified { get; set; }

    /// <summary>Stored events compared one by one with acknowledged calls.</summary>
    public long EventsCompared { get; set; }

    /// <summary>Calls without an answer at a kill found wholly present.</summary>
    public int InDoubtPresent { get; set; }

    /// <summary>Calls without an answer at a kill that left no trace.</summary>
    public int InDoubtAbsent { get; set; }

    /// <summary>The slowest start of the silo until /health answered 200.</summary>
    public TimeSpan SlowestStart { get; set; }

    /// <summary>Every failure, each naming its cycle.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>One paragraph for the test output and assertion messages.</summary>
    public string Summary(KillCycleSettings settings, string directory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string counts = string.Create(CultureInfo.InvariantCulture,
            $"{Cycles}/{settings.Cycles} SIGKILL cycles (seed {settings.Seed}, {settings.Accounts} accounts, {settings.Customers} customers, {settings.Workers} callers) on {directory}: {AcknowledgedVerified:N0} acknowledged calls and {EventsCompared:N0} events verified, in doubt at the kills {InDoubtPresent} present / {InDoubtAbsent} absent, slowest start {SlowestStart.TotalSeconds:F1} s; {Failures.Count} failure(s)");
        return Failures.Count == 0 ? $"{counts}." : $"{counts}:{Environment.NewLine}{string.Join(Environment.NewLine, Failures.Take(20))}";
    }
}
