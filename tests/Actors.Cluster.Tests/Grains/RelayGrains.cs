using System.Collections.Concurrent;
using Actors.Journaling;
using Actors.Persistence.Wal;

namespace Actors.Cluster.Tests.Grains;

public interface IRelayAccountGrain : IGrainWithStringKey
{
    /// <summary>Waits at <see cref="RelayGate"/>, deposits into the account <paramref name="target"/> (a grain call), then records the relay in its own log; returns its version.</summary>
    Task<long> RelayDeposit(string target, long amount, long sequence);
}

/// <summary>A journaled grain (partition-bound) whose request calls another partition-bound grain while the test holds it at a gate.</summary>
[GrainType("relay")]
[WriteAheadLog]
public sealed class RelayAccountGrain : JournaledGrain<AccountState, Deposited>, IRelayAccountGrain
{
    public async Task<long> RelayDeposit(string target, long amount, long sequence)
    {
        await RelayGate.PassAsync(this.GetPrimaryKeyString());
        await GrainFactory.GetGrain<IAccountGrain>(target).Deposit(amount, sequence);
        RaiseEvent(new Deposited(-amount, sequence));
        await ConfirmEvents();
        return Version;
    }
}

/// <summary>Holds a relay's request until the test releases it, and tells the test when the request arrived.</summary>
public static class RelayGate
{
    private static readonly ConcurrentDictionary<string, (TaskCompletionSource Entered, TaskCompletionSource Released)> Gates = new(StringComparer.Ordinal);

    /// <summary>Completes when the relay <paramref name="key"/>'s request reached its gate.</summary>
    public static Task Entered(string key) => GateOf(key).Entered.Task;

    /// <summary>Lets the relay <paramref name="key"/>'s request go on.</summary>
    public static void Release(string key) => GateOf(key).Released.TrySetResult();

    internal static Task PassAsync(string key)
    {
        (TaskCompletionSource entered, TaskCompletionSource released) = GateOf(key);
        entered.TrySetResult();
        return released.Task;
    }

    private static (TaskCompletionSource Entered, TaskCompletionSource Released) GateOf(string key)
        => Gates.GetOrAdd(key, _ => (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
}
