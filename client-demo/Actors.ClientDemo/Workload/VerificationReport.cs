namespace Actors.ClientDemo.Workload;

/// <summary>What one verification after a restart found.</summary>
public sealed class VerificationReport
{
    /// <summary>Accounts checked.</summary>
    public int Accounts { get; set; }

    /// <summary>Customers checked.</summary>
    public int Customers { get; set; }

    /// <summary>Stored events compared one by one with the acknowledged history.</summary>
    public long EventsChecked { get; set; }

    /// <summary>Acknowledged operations (including rejected ones) this verification covered.</summary>
    public long AcknowledgedOperations { get; set; }

    /// <summary>Operations in flight at the kill whose complete effect was found.</summary>
    public int InFlightPresent { get; set; }

    /// <summary>Operations in flight at the kill that left no trace.</summary>
    public int InFlightAbsent { get; set; }

    /// <summary>The money all accounts hold together.</summary>
    public decimal TotalMoney { get; set; }

    /// <summary>The money that must exist: everything paid in minus everything paid out.</summary>
    public decimal ExpectedTotalMoney { get; set; }

    /// <summary>Every mismatch found; empty when the state is intact.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>True when nothing was wrong.</summary>
    public bool Passed => Failures.Count == 0;
}
