using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;
using Actors.Wal;
using Actors.Wal.Tests.Conformance;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// Runs the event-log conformance suite (tests/Actors.Wal.Tests/Conformance, linked as source) against
/// <see cref="ReplicatedEventLog"/>: three in-process replicas (<see cref="HostedReplicas"/>, stable leadership), each
/// applying the committed entries to its own materialized <see cref="WriteAheadLog"/> (64 KiB segments, as the engine's
/// own conformance run; <see cref="SyncPolicy.None"/> and <see cref="WriteAheadLogOptions.CommitOnCallingThread"/>, as a silo
/// runs it), the suite reading and writing through the
/// leader's replicated log.
/// </summary>
/// <remarks>
/// Every materialized log stamps records with the suite's manual clock, so the replicas agree on timestamps here. On real
/// clocks each replica stamps a record when it applies it, which is why the replicated log refuses checkpoint deletions
/// selected by write time (<see cref="SelectsCheckpointsByTime"/>).
/// </remarks>
[Trait("Category", "Integration")]
public sealed class ReplicatedEventLogConformanceTests : EventLogConformanceTests
{
    private const int ReplicaCount = 3;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "actors-replicated-conformance", Guid.NewGuid().ToString("N"));
    private readonly List<ReplicatedCluster> _clusters = [];

    /// <inheritdoc />
    protected override bool SelectsCheckpointsByTime => false;

    /// <inheritdoc />
    protected override bool ReadsByTime => false;

    /// <inheritdoc />
    protected override bool HasChangeFeed => false;

    /// <inheritdoc />
    protected override async ValueTask<IEventLog> CreateLogAsync(TimeProvider timeProvider, int maxRecordSizeBytes)
    {
        var cluster = new ReplicatedCluster(new HostedReplicas(ReplicaCount, StableOptions()));
        _clusters.Add(cluster);
        foreach (var host in cluster.Replicas.Running)
        {
            var local = await WriteAheadLog.OpenAsync(
                new WriteAheadLogOptions
                {
                    Directory = Path.Combine(_root, $"cluster-{_clusters.Count}", $"materialized-{host.Id.Value}"),
                    SegmentSizeBytes = 64 * 1024,
                    MaxRecordSizeBytes = maxRecordSizeBytes,
                    SyncPolicy = SyncPolicy.None,
                    CommitOnCallingThread = true,
                },
                loggerFactory: null,
                timeProvider: timeProvider);
            var applier = new CommittedEntryApplier(host, local);
            cluster.Appliers[host.Id] = applier;
            applier.Start();
        }

        var leader = await cluster.Replicas.LeaderAsync(1, Generous);
        return new ReplicatedEventLog(leader, cluster.Appliers[leader.Id]);
    }

    /// <inheritdoc />
    protected override async ValueTask CleanupAsync()
    {
        foreach (var cluster in _clusters)
        {
            // Every replica applied what it was given without stopping (a refusal is an answer; anything else stops it).
            var failed = cluster.Appliers.Where(a => a.Value.Failure is not null).Select(a => $"{a.Key}: {a.Value.Failure}").ToArray();
            await cluster.DisposeAsync();
            Assert.True(failed.Length == 0, $"a replica's applier stopped: {string.Join("; ", failed)}");
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>Replicas, their appliers and materialized logs; disposed after the suite disposed the replicated logs.</summary>
    private sealed class ReplicatedCluster(HostedReplicas replicas) : IAsyncDisposable
    {
        public HostedReplicas Replicas { get; } = replicas;

        public Dictionary<ReplicaId, CommittedEntryApplier> Appliers { get; } = [];

        public async ValueTask DisposeAsync()
        {
            foreach (var applier in Appliers.Values)
            {
                await applier.DisposeAsync();
                await applier.Local.DisposeAsync();
            }

            await Replicas.DisposeAsync();
        }
    }
}
