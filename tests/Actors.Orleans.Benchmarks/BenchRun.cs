using System.Globalization;
using Actors.Orleans.Benchmarks.Hosting;
using Actors.Orleans.Benchmarks.Machine;
using Actors.Orleans.Benchmarks.Measurement;
using Actors.Orleans.Benchmarks.Options;
using Actors.Orleans.Benchmarks.PostgreSql;
using Actors.Orleans.Benchmarks.Reporting;
using Actors.Orleans.Benchmarks.Sections;
using Actors.Orleans.Benchmarks.Variants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Actors.Orleans.Benchmarks;

/// <summary>
/// One run: a temp directory under the data root, the fsync baseline in it, the PostgreSQL server and the silo the
/// chosen variants need, the chosen sections, then everything stopped and the directory deleted.
/// </summary>
public static class BenchRun
{
    public const int FsyncBaselineWrites = 1_000;
    private const string Database = "orleans_bench";

    public static async Task<int> RunAsync(string[] args)
    {
        // Figures print the same whatever the machine's locale (decimal points, thousands separators).
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        BenchOptions? options;
        try
        {
            options = BenchOptionsParser.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        if (options is null)
        {
            Console.WriteLine(BenchOptionsParser.Usage);
            return 0;
        }

        try
        {
            _ = ActivationSubjects.For(options);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        string runDirectory = Path.Combine(options.DataRoot, $"actors-orleans-bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(runDirectory);
        using var interrupt = new InterruptCleanup();
        interrupt.Add(() => DeleteRunDirectory(runDirectory));
        try
        {
            await RunInAsync(options, runDirectory, interrupt);
            return 0;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"Actors.Orleans.Benchmarks: {e.Message}");
            return 1;
        }
        finally
        {
            await DeleteRunDirectory(runDirectory);
        }
    }

    private static Task DeleteRunDirectory(string runDirectory)
    {
        if (Directory.Exists(runDirectory))
        {
            Directory.Delete(runDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static async Task RunInAsync(BenchOptions options, string runDirectory, InterruptCleanup interrupt)
    {
        TextWriter output = Console.Out;
        long replayCheckpointBytes = ActivationSubjects.ReplayCheckpointBytes(options);
        RunHeader.Write(output, options, runDirectory, replayCheckpointBytes);
        string walDirectory = Path.Combine(runDirectory, "wal");
        Directory.CreateDirectory(walDirectory);
        WriteFsyncBaseline(output, walDirectory, "at the start");

        PostgreSqlServer? postgres = null;
        try
        {
            string? connectionString = null;
            if (options.Needs(BackingStore.PostgreSql))
            {
                BenchContext.Progress("starting PostgreSQL 15");
                PostgreSqlServer server = await PostgreSqlServer.StartAsync(runDirectory, options.PostgreSqlPort);
                postgres = server;
                interrupt.Add(() => server.DisposeAsync().AsTask());
                connectionString = await OrleansPersistenceSchema.CreateAsync(postgres, Database);
                var settings = await postgres.ShowSettingsAsync();
                output.WriteLine($"PostgreSQL on 127.0.0.1:{postgres.Port}, cluster in {postgres.DataDirectory}: {string.Join(", ", settings.Select(s => $"{s.Name}={s.Value}"))}");
                output.WriteLine();
            }

            var siloSettings = new SiloSettings(
                options.Needs(BackingStore.WriteAheadLog) ? walDirectory : null, connectionString, options.CheckpointEveryEvents, replayCheckpointBytes,
                options.JournalHistory);
            using var walCounters = new WalProviderCounters();
            using IHost silo = BenchSiloBuilder.Build(siloSettings);
            BenchContext.Progress("starting the silo");
            await silo.StartAsync();
            try
            {
                var context = new BenchContext(options, silo.Services.GetRequiredService<IGrainFactory>(), walCounters, output);
                await RunSectionsAsync(context);
                if (options.Sections.HasFlag(BenchSection.Cluster))
                {
                    int gatewayPort = silo.Services.GetRequiredService<IOptions<EndpointOptions>>().Value.GatewayPort;
                    await ClusterSection.RunAsync(context, postgres!, runDirectory, siloSettings, gatewayPort);
                }

                if (options.Sections.HasFlag(BenchSection.Sustained))
                {
                    string? logDirectory = siloSettings.WalDirectory;
                    await SustainedSection.RunAsync(context, () => WalStatistics(silo.Services), logDirectory);
                }
            }
            finally
            {
                BenchContext.Progress("stopping the silo");
                await silo.StopAsync();
            }

            WriteFsyncBaseline(output, walDirectory, "at the end");
            output.WriteLine($"Load average at the end: {LoadAverage.Read()} ({Environment.ProcessorCount} cores).");
        }
        finally
        {
            if (postgres is not null)
            {
                BenchContext.Progress("stopping PostgreSQL");
                await postgres.DisposeAsync();
            }
        }
    }

    /// <summary>The silo's log statistics, or null when the silo has no log (no chosen variant uses it).</summary>
    private static Actors.Wal.LogStatistics? WalStatistics(IServiceProvider services) =>
        services.GetService<global::Actors.Orleans.Log.SiloLog>()?.Log.GetStatistics();

    /// <summary>The disk's floor for one durable write, measured in the WAL's directory (before and after the sections, to show drift).</summary>
    private static void WriteFsyncBaseline(TextWriter output, string directory, string when)
    {
        var fsync = FsyncBaseline.Measure(directory, FsyncBaselineWrites);
        output.WriteLine($"Disk baseline {when}: {FsyncBaseline.BlockBytes / 1024} KiB write + fdatasync in {directory} (a preallocated file), {fsync.Writes:#,0} times one after another: p50 {Fmt.Duration(fsync.P50Nanoseconds)}, p99 {Fmt.Duration(fsync.P99Nanoseconds)} (load average {fsync.Load})");
        output.WriteLine();
    }

    private static async Task RunSectionsAsync(BenchContext context)
    {
        BenchOptions options = context.Options;
        if (options.Sections.HasFlag(BenchSection.Throughput))
        {
            await ThroughputSection.RunAsync(context);
        }

        if (options.Sections.HasFlag(BenchSection.History) && options.HistoryCases().Any())
        {
            await HistorySection.RunAsync(context);
        }

        IReadOnlyList<ActivationSubject> subjects = ActivationSubjects.For(options);
        if (options.Sections.HasFlag(BenchSection.Activation) && subjects.Count > 0)
        {
            await ActivationSection.RunAsync(context, subjects);
        }
    }
}
