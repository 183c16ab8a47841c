using Actors.Orleans.Clustering.Partitioning;
using Actors.Orleans.Clustering.Tests.Grains;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>
/// Ledger grains (<see cref="LedgerGrain"/>) of a <see cref="ReplicatedTestCluster"/> whose keys cover every partition (two
/// keys a partition on average at least), and the writes each acknowledged: <see cref="Acknowledged"/> holds, per key, the
/// entries whose <c>Add</c> answered, in order (locked on that dictionary, as <see cref="LedgerLoad"/> does).
/// </summary>
internal sealed class LedgerKeys
{
    private readonly TestCluster _cluster;

    private LedgerKeys(TestCluster cluster, List<int> keys)
    {
        _cluster = cluster;
        Keys = keys;
        Acknowledged = keys.ToDictionary(k => k, _ => new List<int>());
    }

    /// <summary>The keys: each partition's at least one, <c>2 × partitions</c> at least.</summary>
    public IReadOnlyList<int> Keys { get; }

    /// <summary>Per key, the entries whose <c>Add</c> answered, in order; lock on the dictionary to read it while writes run.</summary>
    public Dictionary<int, List<int>> Acknowledged { get; }

    /// <summary>The acknowledged writes of every key so far.</summary>
    public int Count
    {
        get
        {
            lock (Acknowledged)
            {
                return Acknowledged.Values.Sum(a => a.Count);
            }
        }
    }

    /// <summary>The keys covering <paramref name="partitions"/> partitions of <paramref name="cluster"/>'s grains.</summary>
    public static LedgerKeys Covering(TestCluster cluster, int partitions)
    {
        var keys = new List<int>();
        var covered = new HashSet<int>();
        for (int key = 0; covered.Count < partitions || keys.Count < 2 * partitions; key++)
        {
            if (covered.Add(GrainPartitions.GetPartition(Grain(cluster, key).GetGrainId(), partitions)) || keys.Count < 2 * partitions)
            {
                keys.Add(key);
            }
        }

        return new LedgerKeys(cluster, keys);
    }

    /// <summary>The grain of <paramref name="key"/>.</summary>
    public ILedgerGrain Grain(int key) => Grain(_cluster, key);

    /// <summary>
    /// Adds <paramref name="entry"/> to every grain, one after the other, each retried while refused with nothing done
    /// (<see cref="ReplicatedClusterWaits.RetryAsync"/>); returns the silo that stored each key's entry.
    /// </summary>
    public async Task<Dictionary<int, string>> AddToEveryAsync(int entry, string phase)
    {
        var storedOn = new Dictionary<int, string>();
        foreach (int key in Keys)
        {
            storedOn[key] = await ReplicatedClusterWaits.RetryAsync(() => Grain(key).Add(entry), $"grain {key} add {entry} {phase}");
            lock (Acknowledged)
            {
                Acknowledged[key].Add(entry);
            }
        }

        return storedOn;
    }

    /// <summary>Closed-loop load on every key (<see cref="LedgerLoad"/>), its answers recorded in <see cref="Acknowledged"/>.</summary>
    public LedgerLoad StartLoad(int workers) => LedgerLoad.Start(Grain, Keys, Acknowledged, workers);

    /// <summary>Reads every grain (retried while refused) and asserts it holds exactly its acknowledged entries, in order.</summary>
    public async Task AssertEveryAcknowledgedWriteReadsBackAsync(string phase)
    {
        foreach (int key in Keys)
        {
            List<int> entries = await ReplicatedClusterWaits.RetryAsync(() => Grain(key).Entries(), $"grain {key} read {phase}");
            Assert.Equal(Acknowledged[key], entries);
        }
    }

    private static ILedgerGrain Grain(TestCluster cluster, int key) =>
        cluster.GrainFactory.GetGrain<ILedgerGrain>(key, grainClassNamePrefix: typeof(LedgerGrain).FullName!);
}
