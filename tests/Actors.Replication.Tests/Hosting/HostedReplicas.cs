using Actors.Replication.Configuration;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Wal.Entries;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// Replicas of one partition log, each a <see cref="ReplicaHost"/> over its own <see cref="EntryLog"/> directory on the
/// real disk, connected by an <see cref="IReplicaNetwork"/> (in process unless given) and sharing a configuration store
/// (in process unless given). A killed replica's directory stays,
/// so it can be restarted over what its disk kept.
/// </summary>
internal sealed class HostedReplicas : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "actors-replication-host-tests", Guid.NewGuid().ToString("N"));
    private readonly ReplicaOptions _options;
    private readonly Dictionary<ReplicaId, ReplicaHost> _running = [];

    /// <summary>Starts <paramref name="count"/> replicas r1..rN; the store is in-process unless <paramref name="store"/> is given (already initialized with r1 leading).</summary>
    public HostedReplicas(int count, ReplicaOptions options, IReplicaConfigurationStore? store = null, IReplicaNetwork? network = null)
    {
        _options = options;
        Network = network ?? new LoopbackReplicationTransport();
        Ids = Enumerable.Range(1, count).Select(i => new ReplicaId(i)).ToArray();
        Store = store ?? new InMemoryReplicaConfigurationStore(Initial(count));
        // The followers first: the initial leader (r1) sends each follower one append when it takes its epoch, and a
        // follower not registered yet would miss it (with heartbeats disabled, as the batching test has them, for good).
        foreach (var id in Ids.Skip(1).Append(Ids[0]))
        {
            Start(id);
        }
    }

    public ReplicaId[] Ids { get; }

    public IReplicaConfigurationStore Store { get; }

    /// <summary>The first configuration of <paramref name="count"/> replicas: r1 leads epoch 1, all in sync.</summary>
    public static ReplicaConfiguration Initial(int count)
    {
        var ids = Enumerable.Range(1, count).Select(i => new ReplicaId(i)).ToArray();
        return ReplicaConfiguration.Initial(ids[0], ids);
    }

    public IReplicaNetwork Network { get; }

    public ReplicaHost this[ReplicaId id] => _running[id];

    public IEnumerable<ReplicaHost> Running => _running.Values;

    public void Start(ReplicaId id)
    {
        var log = EntryLog.Open(new EntryLogOptions { Directory = Directory(id), SegmentSizeBytes = 64 * 1024 });
        var host = new ReplicaHost(id, log, Store, Network.TransportFor(id), _options);
        _running[id] = host;
        Network.Register(host);
        host.Start();
    }

    /// <summary>Stops a replica as a crash would (its directory stays).</summary>
    public async Task KillAsync(ReplicaId id)
    {
        await Network.UnregisterAsync(id);
        await _running[id].DisposeAsync();
        _running.Remove(id);
    }

    /// <summary>Waits until some running replica leads an epoch of at least <paramref name="minEpoch"/> (and the store agrees).</summary>
    public async Task<ReplicaHost> LeaderAsync(long minEpoch, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var configuration = await Store.ReadAsync();
            if (configuration.Epoch >= minEpoch && _running.TryGetValue(configuration.Leader, out var host)
                && host.Status is { IsLeader: true } status && status.Epoch == configuration.Epoch)
            {
                return host;
            }

            ThrowIfFailed();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"no running replica leads an epoch >= {minEpoch} within {timeout}: store {configuration}; "
                    + string.Join("; ", _running.Values.Select(h => $"{h.Id} {h.Status}")));
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes (then fails naming <paramref name="what"/>).</summary>
    public async Task WaitUntilAsync(Func<ReplicaConfiguration, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        ReplicaConfiguration configuration;
        while (!condition(configuration = await Store.ReadAsync()))
        {
            ThrowIfFailed();
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"{what} did not happen within {timeout}: store {configuration}; " + string.Join("; ", _running.Values.Select(h => $"{h.Id} {h.Status}")));
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Reads a stopped replica's log from its directory.</summary>
    public IReadOnlyList<LoggedEntry> ReadStoppedLog(ReplicaId id)
    {
        if (_running.ContainsKey(id))
        {
            throw new InvalidOperationException($"{id} is running; stop it before reading its log");
        }

        using var log = EntryLog.Open(new EntryLogOptions { Directory = Directory(id) });
        return log.Read(1, int.MaxValue);
    }

    /// <summary>Reads a stopped replica's checkpoint and the entries after it from its directory.</summary>
    public (EntryLogCheckpoint Checkpoint, IReadOnlyList<LoggedEntry> Entries) ReadStoppedCheckpointAndLog(ReplicaId id)
    {
        if (_running.ContainsKey(id))
        {
            throw new InvalidOperationException($"{id} is running; stop it before reading its log");
        }

        using var log = EntryLog.Open(new EntryLogOptions { Directory = Directory(id) });
        return (log.Checkpoint, log.Read(log.StartLsn + 1, int.MaxValue));
    }

    public async Task StopAllAsync()
    {
        foreach (var id in _running.Keys.ToArray())
        {
            await KillAsync(id);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync();
        await Network.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: never hide the test's own outcome.
        }
    }

    private string Directory(ReplicaId id) => Path.Combine(_root, $"replica-{id.Value}");

    private void ThrowIfFailed()
    {
        if (_running.Values.FirstOrDefault(h => h.Failure is not null) is { } failed)
        {
            throw failed.Failure!;
        }
    }
}
