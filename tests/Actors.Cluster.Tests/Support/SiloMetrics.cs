using System.Globalization;
using Actors.ClientDemo.Launching;

namespace Actors.Cluster.Tests.Support;

/// <summary>
/// One scrape of a silo process's Prometheus endpoint (<c>/metrics</c> beside <c>/health</c>; the cluster must be started
/// with <see cref="SiloProcessCluster.Metrics"/>), read per partition: the replication instruments of the silo's replicas
/// (<c>ReplicationInstruments.ObserveReplicas</c>), which is how a test sees a replica's log positions and checkpoints
/// from outside the process.
/// </summary>
public sealed class SiloMetrics
{
    /// <summary>The LSN each replica's durable checkpoint covers (its entry log's deleted prefix ends there).</summary>
    public const string LogStartLsn = "actors_replication_log_start_lsn";

    /// <summary>The last entry of each replica's entry log.</summary>
    public const string LogEndLsn = "actors_replication_log_end_lsn";

    /// <summary>Checkpoints each replica wrote of its own materialized log.</summary>
    public const string CheckpointsWritten = "actors_replication_checkpoints_written_total";

    /// <summary>Checkpoints each replica took from its leader (it needed entries the leader had deleted).</summary>
    public const string CheckpointsInstalled = "actors_replication_checkpoints_installed_total";

    /// <summary>Checkpoint chunks each replica sent as leader.</summary>
    public const string CheckpointChunksSent = "actors_replication_checkpoint_chunks_sent_total";

    /// <summary>Entry-log segments each replica deleted below its checkpoints.</summary>
    public const string SegmentsDeleted = "actors_replication_segments_deleted_total";

    /// <summary>Group-commit fsyncs of the silo's entry journal (no partition label: one journal per silo).</summary>
    public const string JournalFsyncs = "actors_replication_journal_fsyncs_total";

    /// <summary>Records appended to the silo's entry journal (no partition label).</summary>
    public const string JournalRecords = "actors_replication_journal_records_total";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Dictionary<string, Dictionary<int, long>> _byPartition;
    private readonly Dictionary<string, long> _unlabelledByPartition;

    private SiloMetrics(Dictionary<string, Dictionary<int, long>> byPartition, Dictionary<string, long> withoutPartition)
    {
        _byPartition = byPartition;
        _unlabelledByPartition = withoutPartition;
    }

    /// <summary>Scrapes <paramref name="silo"/>'s <c>/metrics</c> now.</summary>
    public static async Task<SiloMetrics> ReadAsync(SiloProcess silo)
    {
        string text = await Http.GetStringAsync(new Uri(silo.HealthUri, "/metrics"));
        return Parse(text);
    }

    /// <summary>The samples of <paramref name="metric"/> (a Prometheus name) with a <c>partition</c> label, by partition; empty when none.</summary>
    public IReadOnlyDictionary<int, long> PerPartition(string metric)
        => _byPartition.TryGetValue(metric, out Dictionary<int, long>? values) ? values : new Dictionary<int, long>();

    /// <summary>The value of <paramref name="metric"/> for <paramref name="partition"/>, or 0 when the silo reports none.</summary>
    public long Of(string metric, int partition) => PerPartition(metric).GetValueOrDefault(partition);

    /// <summary>The sum of the samples of <paramref name="metric"/> (a Prometheus name) without a <c>partition</c> label, or null when the silo reports none.</summary>
    public long? WithoutPartition(string metric) => _unlabelledByPartition.TryGetValue(metric, out long value) ? value : null;

    /// <summary>Reads the lines <c>name{...partition="N"...} value</c> of the Prometheus text format (and, summed by name, the samples without a partition label).</summary>
    private static SiloMetrics Parse(string text)
    {
        var byPartition = new Dictionary<string, Dictionary<int, long>>(StringComparer.Ordinal);
        var withoutPartition = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            int open = line.IndexOf('{', StringComparison.Ordinal);
            int close = line.LastIndexOf('}');
            const string label = "partition=\"";
            int at = open > 0 && close > open ? line.IndexOf(label, open, close - open, StringComparison.Ordinal) : -1;
            if (line.StartsWith('#') || line.Trim().Length == 0)
            {
                continue;
            }

            if (at < 0)
            {
                int nameEnd = open > 0 ? open : line.IndexOf(' ', StringComparison.Ordinal);
                if (nameEnd > 0 && double.TryParse(line.AsSpan(line.LastIndexOf(' ') + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double sample))
                {
                    withoutPartition[line[..nameEnd]] = withoutPartition.GetValueOrDefault(line[..nameEnd]) + (long)sample;
                }

                continue;
            }

            int end = line.IndexOf('"', at + label.Length);
            int partition = int.Parse(line.AsSpan(at + label.Length, end - at - label.Length), CultureInfo.InvariantCulture);
            double value = double.Parse(line.AsSpan(close + 1).Trim(), CultureInfo.InvariantCulture);
            string name = line[..open];
            if (!byPartition.TryGetValue(name, out Dictionary<int, long>? values))
            {
                byPartition[name] = values = [];
            }

            values[partition] = (long)value;
        }

        return new SiloMetrics(byPartition, withoutPartition);
    }
}
