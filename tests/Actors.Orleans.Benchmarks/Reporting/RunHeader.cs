using System.Reflection;
using System.Runtime.InteropServices;
using Actors.Orleans.Benchmarks.Grains;
using Actors.Orleans.Benchmarks.Machine;
using Actors.Orleans.Benchmarks.Options;
using Actors.Orleans.Benchmarks.Variants;

namespace Actors.Orleans.Benchmarks.Reporting;

/// <summary>What the report states before any figure: machine, options, what each variant's call waits for, the stores' settings.</summary>
public static class RunHeader
{
    public static void Write(TextWriter output, BenchOptions options, string runDirectory, long replayCheckpointBytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        output.WriteLine("## Orleans grain storage benchmark (issue 36)");
        output.WriteLine();
        output.WriteLine($"- started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC; load average {LoadAverage.Read()}");
        output.WriteLine($"- machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, server GC off");
        output.WriteLine($"- data directory: {runDirectory} (the WAL's segments, the PostgreSQL cluster and the fsync probe)");
        output.WriteLine($"- options: --seconds {options.SecondsPerRound:0.###} --warmup {options.WarmupSeconds:0.###} --rounds {options.Rounds} --callers {options.Callers} --payload-bytes {options.PayloadBytes} --variants {string.Join(',', options.Variants.Select(v => v.Key))} --sections {Sections(options.Sections)} --wal-history {Ints(options.WalHistories)} --logstorage-history {Ints(options.LogStorageHistories)} --activation-grains {options.ActivationGrains} --activation-events {options.ActivationEvents} --checkpoint-every {options.CheckpointEveryEvents} --minutes {options.SustainedMinutes:0.###} --window-seconds {options.WindowSeconds:0.###} --sustained-warmup {options.SustainedWarmupSeconds:0.###} --journal-history {(options.JournalHistory == WriteAheadLogHistory.KeepAll ? "keep-all" : "reclaim")} --replication-factor {options.ReplicationFactor}{(options.FollowerApplyDelay is { } delay ? $" --follower-apply-delay-ms {delay.TotalMilliseconds:0.###}" : "")}{(options.PartitionCount is { } partitions ? $" --partitions {partitions}" : "")}{(options.ClusterBaseline ? "" : " --cluster-baseline off")} --callers-from {string.Join(',', options.CallersFrom.Select(p => p.ToString().ToLowerInvariant()))}");
        output.WriteLine($"- one silo in this process (localhost clustering); callers use its grain factory; Microsoft.Orleans {Version(typeof(Grain))}");
        if (options.Needs(BackingStore.WriteAheadLog))
        {
            output.WriteLine($"- WAL: one log per silo, SyncPolicy.Always (a write is acknowledged after its fsync); provider \"{ProviderNames.WalLogConsistency}\" checkpoints every {options.CheckpointEveryEvents} events, the activation section's \"{ProviderNames.WalReplayLogConsistency}\" after {replayCheckpointBytes:#,0} event bytes at most (none by count): each of its grains gets a filler event of that size and a normal one, a checkpoint, then the later events; Orleans's serializer (the providers' default)");
        }

        if (options.Needs(BackingStore.PostgreSql))
        {
            output.WriteLine($"- ADO.NET: Microsoft.Orleans.Persistence.AdoNet, invariant Npgsql (Npgsql {Version(typeof(Npgsql.NpgsqlConnection))}, default pool of 100 connections), Orleans's binary serializer (OrleansGrainStorageSerializer), this benchmark's own schema; StateStorage and LogStorage event sourcing over that storage");
        }

        output.WriteLine();
        output.WriteLine("What a completed call guarantees:");
        output.WriteLine();
        foreach (BenchVariant variant in options.VariantsInUse())
        {
            output.WriteLine($"- {variant.Title} (`{variant.Key}`): {variant.Durability}");
        }

        output.WriteLine();
    }

    /// <summary>The informational version of the assembly defining <paramref name="type"/> (without a commit suffix: "+hash" or ". Commit Hash: ...").</summary>
    private static string Version(Type type)
    {
        string? version = type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return version?.Split(' ', '+')[0].TrimEnd('.') ?? type.Assembly.GetName().Version?.ToString() ?? "unknown";
    }

    private static string Ints(IReadOnlyList<int> values) => values.Count == 0 ? "none" : string.Join(',', values);

    private static string Sections(BenchSection sections) =>
        string.Join(',', Enum.GetValues<BenchSection>()
            .Where(s => s is not BenchSection.None and not BenchSection.All && sections.HasFlag(s))
            .Select(s => s.ToString().ToLowerInvariant()));
}
