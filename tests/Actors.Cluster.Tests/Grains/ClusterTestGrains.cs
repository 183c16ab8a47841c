using Actors.Cluster;
using Actors.Journaling;
using Actors.Persistence.Wal;
using Actors.Placement;

namespace Actors.Cluster.Tests.Grains;

/// <summary>Where an activation runs and which one it is.</summary>
[GenerateSerializer]
public sealed record ActivationInfo(string Silo, Guid ActivationId, int Calls);

public interface IVolatileCounterGrain : IGrainWithStringKey
{
    Task<ActivationInfo> Touch();
}

/// <summary>A directory-placed grain (random placement) with volatile state: tells where it runs.</summary>
public class VolatileCounterGrain : Grain, IVolatileCounterGrain
{
    private readonly Guid _activationId = Guid.NewGuid();
    private int _calls;

    public Task<ActivationInfo> Touch() => Task.FromResult(new ActivationInfo(SiloName(), _activationId, ++_calls));

    protected string SiloName() => ServiceProvider.GetRequiredService<IClusterView>().SiloName;
}

public interface ILocalCounterGrain : IVolatileCounterGrain
{
}

[PreferLocalPlacement]
public sealed class LocalCounterGrain : VolatileCounterGrain, ILocalCounterGrain
{
}

public interface IHashedCounterGrain : IVolatileCounterGrain
{
}

[HashBasedPlacement]
public sealed class HashedCounterGrain : VolatileCounterGrain, IHashedCounterGrain
{
}

[EventType("deposited")]
public sealed record Deposited(long Amount, long Sequence);

public sealed class AccountState : IApply<Deposited>
{
    public long Balance { get; set; }

    public List<long> Sequences { get; set; } = [];

    public void Apply(Deposited e)
    {
        Balance += e.Amount;
        Sequences.Add(e.Sequence);
    }
}

[GenerateSerializer]
public sealed record AccountSnapshot(long Balance, long Version, List<long> Sequences, string Silo);

public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Appends a deposit; completes when it is durable. Returns the version reached.</summary>
    Task<long> Deposit(long amount, long sequence);

    Task<AccountSnapshot> Get();
}

/// <summary>A journaled grain in the default write-ahead-log store: partition-bound.</summary>
[WriteAheadLog(CheckpointEveryEvents = 25)]
public sealed class AccountGrain : JournaledGrain<AccountState, Deposited>, IAccountGrain
{
    public async Task<long> Deposit(long amount, long sequence)
    {
        RaiseEvent(new Deposited(amount, sequence));
        await ConfirmEvents();
        return Version;
    }

    public Task<AccountSnapshot> Get() => Task.FromResult(new AccountSnapshot(
        State.Balance, Version, [.. State.Sequences], ServiceProvider.GetRequiredService<IClusterView>().SiloName));
}

/// <summary>Counts live activations per grain across every silo of the (in-process) test cluster.</summary>
public static class ActivationRegistry
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<GrainId, int> Live = new();
    private static readonly System.Collections.Concurrent.ConcurrentBag<string> ViolationList = [];

    public static IReadOnlyCollection<string> Violations => ViolationList;

    public static void Activated(GrainId grainId, string silo)
    {
        int live = Live.AddOrUpdate(grainId, 1, (_, n) => n + 1);
        if (live > 1)
        {
            ViolationList.Add($"{grainId} had {live} live activations (the newest on {silo})");
        }
    }

    public static void Deactivated(GrainId grainId) => Live.AddOrUpdate(grainId, 0, (_, n) => n - 1);
}

public interface ITrackedGrain : IGrainWithStringKey
{
    Task<ActivationInfo> Touch();
}

/// <summary>A directory-placed grain that reports overlapping activations to <see cref="ActivationRegistry"/>.</summary>
public sealed class TrackedGrain : VolatileCounterGrain, ITrackedGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ActivationRegistry.Activated(GrainId, SiloName());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ActivationRegistry.Deactivated(GrainId);
        return Task.CompletedTask;
    }
}
