namespace Actors.ClientDemo.Workload;

/// <summary>
/// What one account's stream must hold: the versions already verified, then the events of the operations acknowledged
/// since, in acknowledgement order, then at most the complete events of the one operation whose outcome is unknown.
/// </summary>
/// <remarks>The workload runs at most one operation per account at a time (<see cref="Lock"/>), so acknowledgement order is stream order.</remarks>
public sealed class AccountModel
{
    /// <summary>The account id.</summary>
    public required string Id { get; init; }

    /// <summary>Held while an operation on this account runs.</summary>
    public SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>The stream version up to which the history was verified.</summary>
    public long VerifiedVersion { get; set; }

    /// <summary>The events of operations acknowledged since the last verification, in order.</summary>
    public List<string> PendingEvents { get; } = [];

    /// <summary>The balance after every acknowledged operation.</summary>
    public decimal Balance { get; set; }

    /// <summary>The operation on this account whose call failed without an answer (outcome unknown), or null.</summary>
    public BankOperation? Unknown { get; set; }

    /// <summary>The stream version the grain must report after every acknowledged operation.</summary>
    public long ExpectedVersion => VerifiedVersion + PendingEvents.Count;

    /// <summary>Records a successful operation.</summary>
    public void Acknowledge(BankOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        PendingEvents.AddRange(operation.EventsFor(Id));
        Balance += operation.BalanceDelta(Id);
    }
}
