using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

/// <summary>
/// What every protocol test of a <see cref="Replica"/> starts from: three replica ids, an environment that records what
/// a replica asks of it, and a clock that moves only when the test moves it. xunit makes a new instance per test, so
/// each test has its own environment and clock.
/// </summary>
public abstract class ReplicaProtocolTests
{
    protected static readonly ReplicaId R1 = new(1);
    protected static readonly ReplicaId R2 = new(2);
    protected static readonly ReplicaId R3 = new(3);

    /// <summary>Records the messages, writes and acknowledgements of the replica under test.</summary>
    private protected RecordingEnvironment Recording { get; } = new();

    /// <summary>The replica's clock; only the test advances it.</summary>
    private protected ManualClock Clock { get; } = new();

    /// <summary>
    /// Lets <paramref name="duration"/> of a running replica's time pass, one default heartbeat interval at a time, each
    /// followed by a tick; while it leads, each of <paramref name="live"/> answers each heartbeat of epoch 1 that it holds
    /// up to <paramref name="durableOffset"/> durably (the others are silent).
    /// </summary>
    private protected void RunAnswering(Replica replica, TimeSpan duration, long durableOffset, params ReplicaId[] live)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += ReplicaOptions.DefaultHeartbeatInterval)
        {
            Clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
            replica.Tick();
            foreach (var follower in live.Where(f => replica.Role == ReplicaRole.Leader && f != replica.Id))
            {
                replica.OnMessage(new AppendAccepted(follower, 1, durableOffset, durableOffset));
            }
        }
    }
}
