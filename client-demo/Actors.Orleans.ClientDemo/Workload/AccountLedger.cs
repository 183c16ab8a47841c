using Actors.Orleans.Demo.Grains.Accounts;

namespace Actors.Orleans.ClientDemo.Workload;

/// <summary>
/// What one account's stream must hold: <see cref="VerifiedVersion"/> events already checked, then <see cref="Expected"/>
/// (the events of calls acknowledged since, in acknowledgement order), then all or none of the events of
/// <see cref="InDoubt"/>, the one call whose answer was lost.
/// </summary>
/// <remarks>The workload holds <see cref="Gate"/> while a call on this account runs, so acknowledgement order is stream order.</remarks>
public sealed class AccountLedger(string id)
{
    /// <summary>The account id (grain key).</summary>
    public string Id { get; } = id;

    /// <summary>Held while a call on this account runs.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>How many events of the stream the last verification checked.</summary>
    public int VerifiedVersion { get; set; }

    /// <summary>Events of calls acknowledged since the last verification, in order.</summary>
    public List<AccountEvent> Expected { get; } = [];

    /// <summary>The balance the acknowledged calls give.</summary>
    public decimal Balance { get; set; }

    /// <summary>The call on this account whose outcome is unknown, or null.</summary>
    public BankCall? InDoubt { get; set; }

    /// <summary>The version the grain must report now.</summary>
    public int Version => VerifiedVersion + Expected.Count;

    /// <summary>Records a successful call.</summary>
    public void Apply(BankCall call)
    {
        Expected.AddRange(call.EventsFor(Id));
        Balance += call.BalanceChange(Id);
    }

    /// <summary>Starts the next round from what was verified.</summary>
    public void Rebase(int version, decimal balance)
    {
        VerifiedVersion = version;
        Expected.Clear();
        Balance = balance;
        InDoubt = null;
    }
}
