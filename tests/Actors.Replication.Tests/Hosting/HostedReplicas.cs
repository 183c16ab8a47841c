using Actors.Replication.Configuration;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using Actors.Wal.Entries;
using Actors.Wal.Entries.Journal;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// Replicas of one partition log, each a <see cref="ReplicaHost"/> over its entry log on the real disk (by default a log of
/// an <see cref="EntryJournal"/> of its own, as each replica of a silo cluster is on its own silo; with
/// <see cref="EntryLogLayout.PerReplicaFiles"/> an <see cref="EntryLog"/> directory), connected by an <see cref="IReplicaNetwork"/> (in process unless given) and sharing a configuration store
/// (in process unless given). A killed replica's directory stays,
/// so it can be restarted over what its disk kept.
/// </summary>
internal sealed class HostedReplicas : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "actors-replication-host-tests", Guid.NewGuid().ToString("N"));
    private readonly ReplicaOptions _options;
    private readonly Dictionary<ReplicaId, ReplicaHost> _running = [];
    private readonly Dictionary<ReplicaId, EntryJournal> _journals = [];
    private readonly EntryLogLayout _layout;
    private readonly ReplicaTicker? _ticker;
    private readonly TimeProvider? _time;

    /// <summary>
    /// Starts <paramref name="count"/> replicas r1..rN; the store is in-process unless <paramref name="store"/> is given
    /// (already initialized with r1 leading). With <paramref name="ticker"/> every host ticks by it (else by a timer of its
    /// own); <paramref name="time"/> is the hosts' clock (the system's when null).
    /// </summary>
    public HostedReplicas(
        int count, ReplicaOptions options, IReplicaConfigurationStore? store = null, IReplicaNetwork? network = null, EntryLogLayout layout = EntryLogLayout.SharedJournal,
        ReplicaTicker? ticker = null, TimeProvider? time = null)
    {
        _options = options;
        _layout = layout;
        _ticker = ticker;
        _time = time;
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
        var log = OpenLog(id);
        var host = new ReplicaHost(id, log, Store, Network.TransportFor(id), _options, _time) { Ticker = _ticker };
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
        if (_journals.Remove(id, out var journal))
        {
            journal.Dispose();
        }
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

        var log = OpenLog(id);
        var entries = log.Read(1, int.MaxValue);
        log.Dispose();
        CloseJournal(id);
        return entries;
    }

    /// <summary>Reads a stopped replica's checkpoint and the entries after it from its directory.</summary>
    public (EntryLogCheckpoint Checkpoint, IReadOnlyList<LoggedEntry> Entries) ReadStoppedCheckpointAndLog(ReplicaId id)
    {
        if (_running.ContainsKey(id))
        {
            throw new InvalidOperationException($"{id} is running; stop it before reading its log");
        }

        var log = OpenLog(id);
        var result = (log.Checkpoint, log.Read(log.StartLsn + 1, int.MaxValue));
        log.Dispose();
        CloseJournal(id);
        return result;
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

    /// <summary>Opens replica <paramref name="id"/>'s entry log in the layout of these replicas (a journal of its own opened with it).</summary>
    private IEntryLog OpenLog(ReplicaId id)
    {
        if (_layout == EntryLogLayout.PerReplicaFiles)
        {
            return EntryLog.Open(new EntryLogOptions { Directory = Directory(id), SegmentSizeBytes = 64 * 1024 });
        }

        var journal = EntryJournal.Open(new EntryJournalOptions { Directory = Path.Combine(_root, $"journal-{id.Value}"), SegmentSizeBytes = 64 * 1024 });
        _journals[id] = journal;
        return journal.OpenLog(1, Directory(id));
    }

    private void CloseJournal(ReplicaId id)
    {
        if (_journals.Remove(id, out var journal))
        {
            journal.Dispose();
        }
    }

    private void ThrowIfFailed()
    {
        if (_running.Values.FirstOrDefault(h => h.Failure is not null) is { } failed)
        {
            throw failed.Failure!;
        }
    }
}
