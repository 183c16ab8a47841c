namespace Actors.Orleans.Demo.Grains.Customers;

/// <summary>
/// A customer whose profile and activity are two <see cref="IPersistentState{TState}"/> states in the silo's
/// write-ahead log. Orleans writes each state on its own, so a change touching both commits in the profile (which carries
/// the activity entry) and then writes the activity; activation finishes an entry a kill left between the two writes.
/// A call's effect is therefore all or nothing, as the client sees it.
/// </summary>
[WriteAheadLog]
public sealed class CustomerGrain(
    [PersistentState("profile")] IPersistentState<CustomerProfile> profile,
    [PersistentState("activity")] IPersistentState<CustomerActivity> activity) : Grain, ICustomerGrain
{
    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await DeliverOutboxAsync();
        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<CustomerSummary> Rename(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        profile.State.Name = name;
        await CommitProfileAsync($"renamed to {name}");
        return Summary();
    }

    /// <inheritdoc />
    public async Task<CustomerSummary> AddAccount(string accountId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        if (!profile.State.Accounts.Contains(accountId))
        {
            profile.State.Accounts.Add(accountId);
            await CommitProfileAsync($"opened account {accountId}");
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

    private async Task CommitProfileAsync(string entry)
    {
        profile.State.Outbox = entry;
        profile.State.OutboxSequence = activity.State.Total + 1;
        await profile.WriteStateAsync();
        await DeliverOutboxAsync();
    }

    /// <summary>Records the profile's committed entry in the activity unless it is there already.</summary>
    private async Task DeliverOutboxAsync()
    {
        if (profile.State.Outbox is not { } entry || activity.State.Total >= profile.State.OutboxSequence)
        {
            return;
        }

        if (activity.State.Total != profile.State.OutboxSequence - 1)
        {
            throw new InvalidOperationException(
                $"Customer '{this.GetPrimaryKeyString()}': the profile committed activity entry {profile.State.OutboxSequence} ('{entry}') but the activity holds {activity.State.Total} entries; expected {profile.State.OutboxSequence - 1}.");
        }

        activity.State.Record(entry);
        await activity.WriteStateAsync();
    }

    private CustomerSummary Summary() => new(
        this.GetPrimaryKeyString(),
        profile.State.Name,
        [.. profile.State.Accounts],
        activity.State.Total,
        activity.State.Recent.Count > 0 ? activity.State.Recent[^1] : null);
}
