using Actors.Persistence.Wal;
using Actors.Storage;

namespace Actors.Demo.Grains.Customers;

/// <summary>A customer grain with persistent state: profile and activity, kept in the default write-ahead-log store.</summary>
[GrainType("customer")]
[WriteAheadLog]
public sealed class CustomerGrain(
    [PersistentState("profile")] IPersistentState<CustomerProfile> profile,
    [PersistentState("activity")] IPersistentState<CustomerActivity> activity) : Grain, ICustomerGrain
{
    /// <inheritdoc />
    public async Task<CustomerSummary> Rename(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        profile.State.Name = name;
        activity.State.Record($"renamed to {name}");
        await PersistentStates.WriteAllAsync(profile, activity);
        return Summary();
    }

    /// <inheritdoc />
    public async Task<CustomerSummary> AddAccount(string accountId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        if (!profile.State.Accounts.Contains(accountId))
        {
            profile.State.Accounts.Add(accountId);
            activity.State.Record($"opened account {accountId}");
            await PersistentStates.WriteAllAsync(profile, activity);
        }

        return Summary();
    }

    /// <inheritdoc />
    public async Task<CustomerSummary> Audit(string entry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entry);
        activity.State.Record(entry);
        await activity.WriteStateAsync();
        return Summary();
    }

    /// <inheritdoc />
    public Task<CustomerSummary> GetSummary() => Task.FromResult(Summary());

    private CustomerSummary Summary() => new(
        GetPrimaryKeyString(),
        profile.State.Name,
        profile.State.Accounts.ToArray(),
        activity.State.TotalEntries,
        activity.State.Entries.Count > 0 ? activity.State.Entries[^1] : null,
        profile.Etag,
        activity.Etag);
}
