using Actors.Concurrency;
using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests.Grains;

public interface ITurnGrain : IGrainWithStringKey
{
    /// <summary>Runs several synchronous segments separated by awaits; counts segments that overlapped another.</summary>
    Task Work(int segments);

    /// <summary>Records start, waits for the named gate, records end.</summary>
    Task Blocked(string gate);

    Task<int> Overlaps();

    Task<int> MaxInFlight();

    Task<bool> RunsOnActivationScheduler();
}

public class TurnGrain : Grain, ITurnGrain
{
    private readonly Probe _probe;
    private int _inSegment;
    private int _overlaps;
    private int _inFlight;
    private int _maxInFlight;

    public TurnGrain(Probe probe)
    {
        _probe = probe;
    }

    public async Task Work(int segments)
    {
        _maxInFlight = Math.Max(_maxInFlight, ++_inFlight);
        for (int i = 0; i < segments; i++)
        {
            Enter();
            Thread.SpinWait(5_000);
            Exit();
            await Task.Yield();
        }

        _inFlight--;
    }

    public async Task Blocked(string gate)
    {
        _maxInFlight = Math.Max(_maxInFlight, ++_inFlight);
        _probe.Record($"start:{gate}");
        await _probe.Gate(gate).Task;
        _probe.Record($"end:{gate}");
        _inFlight--;
    }

    public Task<int> Overlaps() => Task.FromResult(_overlaps);

    public Task<int> MaxInFlight() => Task.FromResult(_maxInFlight);

    public async Task<bool> RunsOnActivationScheduler()
    {
        TaskScheduler before = TaskScheduler.Current;
        await Task.Yield();
        await Task.Run(() => Thread.SpinWait(10));
        return before is ActivationTaskScheduler && ReferenceEquals(before, TaskScheduler.Current);
    }

    private void Enter()
    {
        if (Interlocked.Increment(ref _inSegment) != 1)
        {
            Interlocked.Increment(ref _overlaps);
        }
    }

    private void Exit() => Interlocked.Decrement(ref _inSegment);
}

[Reentrant]
public sealed class ReentrantTurnGrain(Probe probe) : TurnGrain(probe), IReentrantTurnGrain
{
}

public interface IReentrantTurnGrain : ITurnGrain
{
}

public interface ICycleGrain : IGrainWithStringKey
{
    Task<string> CallPeer(string peerKey, int depth);

    Task<string> Ping();
}

/// <summary>Calls a peer back and forth; records <c>cycle-end:&lt;key&gt;</c> when a CallPeer turn ends, however it ends.</summary>
public sealed class CycleGrain(Probe probe) : Grain, ICycleGrain
{
    public async Task<string> CallPeer(string peerKey, int depth)
    {
        try
        {
            if (depth == 0)
            {
                return GetPrimaryKeyString();
            }

            return await GrainFactory.GetGrain<ICycleGrain>(peerKey).CallPeer(GetPrimaryKeyString(), depth - 1);
        }
        finally
        {
            probe.Record("cycle-end:" + GetPrimaryKeyString());
        }
    }

    public Task<string> Ping() => Task.FromResult("pong:" + GetPrimaryKeyString());
}
