using System.Diagnostics;
using System.Globalization;
using Actors.Orleans.Benchmarks.Grains;
using Actors.Orleans.Benchmarks.Hosting;
using Actors.Orleans.Benchmarks.Machine;
using Actors.Orleans.Benchmarks.Measurement;
using Actors.Orleans.Benchmarks.Options;
using Actors.Orleans.Benchmarks.Reporting;
using Actors.Orleans.Benchmarks.Sections;
using Actors.Orleans.Storage;
using Actors.Wal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.Orleans.Benchmarks.ColdMillion;

/// <summary>
/// Cold activations among a million streams (issue 65, part 4), a program of its own (<c>cold-million</c>, not part of the
/// other sections): how long the first call to a journaled grain takes, and how many reads it costs, when its silo's log
/// holds 1,000,000 streams and the page cache does not hold the log.
/// </summary>
/// <remarks>
/// <para>Build: a silo writes the sample grains' histories through Orleans (<see cref="WalJournaledGrain"/>, a checkpoint
/// about every <c>--checkpoint-every</c> events, staggered per grain, and <c>--events</c> single-event confirms each, so
/// each grain's latest checkpoint has up to one interval of events after it), and stops. Then the log is opened at the
/// engine level and the crowd is added: as many more journal streams of the same grain type, named as the provider names
/// them, as make <c>--streams</c> in all, each one event and one checkpoint copied from a sample grain's stream (never
/// activated: they fill the index, the segments and the recovery snapshot as a silo's idle grains do).</para>
/// <para>Measure: a silo starts on the log (its start, which opens the log, is timed), then two sweeps over the sample
/// grains, one call at a time: after <c>sync; echo 3 &gt; /proc/sys/vm/drop_caches</c> once (a restarted silo whose grains
/// come back one after another: later activations may find pages earlier ones read), and, after the grains are
/// deactivated, with the log's files evicted from the page cache (posix_fadvise DONTNEED) before every call (each
/// activation alone, cold). Per activation: the call's time and this process's read system calls (<c>syscr</c>) and bytes
/// read from storage (<c>read_bytes</c>) from /proc/self/io around it. Every call checks the grain recovered all its events;
/// the provider's counters give the events replayed after checkpoints. Optionally, interleaved evicted sweeps with the
/// engine's read-ahead, the sub-walks' span reads or the anchors' span positions off and on (<c>--read-ahead-ab</c>,
/// <c>--span-reads-ab</c>, <c>--span-positions-ab</c>).</para>
/// <para>Root and Linux only (drop_caches, /proc/self/io). The run directory is deleted at the end.</para>
/// </remarks>
public static class ColdMillionRun
{
    private const long SampleFirstKey = 300_000_000;
    private const long CrowdFirstKey = 400_000_000;
    private const int CrowdInFlight = 4096;
    private const string ReadAheadSwitch = "Actors.Wal.ReadAhead";
    private const string SpanReadsSwitch = "Actors.Wal.SubWalkSpanReads";
    private const string SpanPositionsSwitch = "Actors.Wal.SpanPositionReads";

    public const string Usage = """
        usage: dotnet run -c Release --project tests/Actors.Orleans.Benchmarks -- cold-million [options]
          --streams N           journal streams in the log in all (default 1,000,000)
          --sample N            grains written through Orleans and activated cold (default 256)
          --events N            single-event confirms per sample grain (default 199)
          --checkpoint-every N  the provider's CheckpointEveryEvents (default 100)
          --payload-bytes N     each event's payload (default 100)
          --data-root PATH      parent of the run directory (default: the temp directory)
          --read-ahead-ab       after the two sweeps, 3 rounds of evicted sweeps with the engine's read-ahead
                                (AppContext switch Actors.Wal.ReadAhead) off and on, interleaved
          --span-reads-ab       after the two sweeps, 3 rounds of evicted sweeps with the sub-walks' span reads
                                (AppContext switch Actors.Wal.SubWalkSpanReads) off and on, interleaved
          --span-positions-ab   after the two sweeps, 3 rounds of evicted sweeps with the anchors' span positions
                                (AppContext switch Actors.Wal.SpanPositionReads) ignored and used, interleaved
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (args.Contains("--help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        ColdMillionSettings settings;
        try
        {
            settings = Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync($"cold-million: {e.Message}\n{Usage}");
            return 2;
        }

        string runDirectory = Path.Combine(settings.DataRoot, $"actors-cold-million-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        string walDirectory = Path.Combine(runDirectory, "wal");
        Directory.CreateDirectory(walDirectory);
        using var interrupt = new InterruptCleanup();
        interrupt.Add(() => Delete(runDirectory));
        try
        {
            await RunInAsync(settings, walDirectory);
            return 0;
        }
        finally
        {
            await Delete(runDirectory);
        }
    }

    private static ColdMillionSettings Parse(string[] args)
    {
        var settings = new ColdMillionSettings();
        for (int i = 1; i < args.Length; i += 2)
        {
            if (args[i] is "--read-ahead-ab" or "--span-reads-ab" or "--span-positions-ab")
            {
                settings.ReadAheadAb |= args[i] == "--read-ahead-ab";
                settings.SpanReadsAb |= args[i] == "--span-reads-ab";
                settings.SpanPositionsAb |= args[i] == "--span-positions-ab";
                i--; // a flag without a value
                continue;
            }

            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--streams": settings.Streams = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--sample": settings.Sample = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--events": settings.Events = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--checkpoint-every": settings.CheckpointEvery = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--payload-bytes": settings.PayloadBytes = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--data-root": settings.DataRoot = value; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        return settings.Sample < 1 || settings.Streams < settings.Sample || settings.Events <= settings.CheckpointEvery || settings.CheckpointEvery < 1
            ? throw new ArgumentException("need 1 <= --sample <= --streams and 1 <= --checkpoint-every < --events")
            : settings;
    }

    private static Task Delete(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static async Task RunInAsync(ColdMillionSettings settings, string walDirectory)
    {
        TextWriter output = Console.Out;
        var siloSettings = new SiloSettings(walDirectory, null, settings.CheckpointEvery, 0);
        var options = new BenchOptions { PayloadBytes = settings.PayloadBytes, CheckpointEveryEvents = settings.CheckpointEvery };
        using var counters = new WalProviderCounters();
        var build = Stopwatch.StartNew();

        // 1. The sample grains' histories, through Orleans.
        using (IHost silo = BenchSiloBuilder.Build(siloSettings))
        {
            BenchContext.Progress($"cold-million: writing {settings.Sample} grains x {settings.Events} events through the silo");
            await silo.StartAsync();
            var context = new BenchContext(options, silo.Services.GetRequiredService<IGrainFactory>(), counters, output);
            IReadOnlyList<IBenchGrain> sample = context.GrainRange(BenchGrainTypes.WalJournaled, SampleFirstKey, settings.Sample);
            await Task.WhenAll(sample.Select(g => g.AddHistory(context.Payload, settings.Events, 1)));
            await silo.StopAsync();
        }

        long checkpoints = counters.Total(WalProviderCounters.CheckpointsWritten, ProviderNames.WalLogConsistency);
        if (checkpoints < settings.Sample)
        {
            throw new InvalidOperationException($"the sample grains wrote {checkpoints} checkpoints (expected at least one each, {settings.Sample})");
        }

        // 2. The crowd, at the engine level, copied from the first sample grain's stream.
        int crowd = settings.Streams - settings.Sample;
        BenchContext.Progress($"cold-million: adding {crowd:#,0} more journal streams at the engine level");
        await using (WriteAheadLog log = await WriteAheadLog.OpenAsync(new WriteAheadLogOptions { Directory = walDirectory, SyncPolicy = SyncPolicy.None }))
        {
            StreamReadResult template = await log.ReadStreamAsync(StreamOf(SampleFirstKey));
            if (template.Checkpoint is not { } checkpoint || template.Events.Count == 0)
            {
                throw new InvalidOperationException($"the template stream {template.StreamId} has no checkpoint or no event after it (version {template.Version})");
            }

            ReadOnlyMemory<byte>[] oneEvent = [template.Events[0].Payload];
            var pending = new List<Task>(CrowdInFlight);
            for (int i = 0; i < crowd; i++)
            {
                pending.Add(AddCrowdStreamAsync(log, StreamOf(CrowdFirstKey + i), oneEvent, checkpoint.State));
                if (pending.Count == CrowdInFlight)
                {
                    await Task.WhenAll(pending);
                    pending.Clear();
                }
            }

            await Task.WhenAll(pending);
            await log.FlushAsync();
            await log.WhenMaintenanceIdleAsync();
        }

        build.Stop();
        long logBytes = Directory.EnumerateFiles(walDirectory).Sum(f => new FileInfo(f).Length);
        int logFiles = Directory.EnumerateFiles(walDirectory).Count();

        // 3. The cold activations.
        ProcessIo.DropPageCache();
        var start = Stopwatch.StartNew();
        using IHost measured = BenchSiloBuilder.Build(siloSettings);
        await measured.StartAsync();
        start.Stop();
        try
        {
            var context = new BenchContext(options, measured.Services.GetRequiredService<IGrainFactory>(), counters, output);
            IReadOnlyList<IBenchGrain> sample = context.GrainRange(BenchGrainTypes.WalJournaled, SampleFirstKey, settings.Sample);
            LogStatistics statistics = measured.Services.GetRequiredService<global::Actors.Orleans.Log.SiloLog>().Log.GetStatistics();

            ProcessIo.DropPageCache();
            long replayedBefore = counters.Total(WalProviderCounters.ReplayedEvents, ProviderNames.WalLogConsistency);
            Sweep restart = await SweepAsync(settings, sample, evictBeforeEach: null);
            long replayed = counters.Total(WalProviderCounters.ReplayedEvents, ProviderNames.WalLogConsistency) - replayedBefore;
            BenchContext.Progress($"cold-million: after drop_caches once: p50 {Fmt.Duration(restart.Latency.Percentile(0.5))}, p99 {Fmt.Duration(restart.Latency.Percentile(0.99))}");

            await GrainDeactivator.DeactivateAllAsync(context, sample);
            Sweep alone = await SweepAsync(settings, sample, evictBeforeEach: walDirectory);
            BenchContext.Progress($"cold-million: each evicted: p50 {Fmt.Duration(alone.Latency.Percentile(0.5))}, p99 {Fmt.Duration(alone.Latency.Percentile(0.99))}");

            output.WriteLine($"## Cold activation among {settings.Streams:#,0} streams");
            output.WriteLine();
            output.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {settings.Sample} sample grains ({BenchGrainTypes.WalJournaled}, {settings.Events} single-event confirms each, a checkpoint about every {settings.CheckpointEvery} events: {replayed / (double)settings.Sample:0.0} events replayed after the checkpoint per activation on average) and {crowd:#,0} crowd streams (one event and one checkpoint each); "
                + $"the log: {logBytes / (1024.0 * 1024.0):#,0} MiB in {logFiles} files, {statistics.SegmentCount} segments, {statistics.StreamCount:#,0} streams; built in {build.Elapsed.TotalSeconds:0} s. Silo start on it (the log's open included), page cache dropped: {start.Elapsed.TotalMilliseconds:#,0} ms.");
            output.WriteLine();
            var table = new MarkdownTable("sweep", "first call p50", "p99", "max", "read calls p50 / p99 / max", "KiB read from storage p50 / p99 / max", "load avg 1 min");
            restart.AddRow(table, "drop_caches once, then one grain after another");
            alone.AddRow(table, "the log's files evicted before each call");
            output.WriteLine(table);
            if (settings.ReadAheadAb)
            {
                await SwitchAbAsync(settings, context, sample, walDirectory, output, ReadAheadSwitch, "read-ahead");
            }

            if (settings.SpanReadsAb)
            {
                await SwitchAbAsync(settings, context, sample, walDirectory, output, SpanReadsSwitch, "span reads");
            }

            if (settings.SpanPositionsAb)
            {
                await SwitchAbAsync(settings, context, sample, walDirectory, output, SpanPositionsSwitch, "span positions");
            }
        }
        finally
        {
            await measured.StopAsync();
        }
    }

    /// <summary>
    /// The evicted sweep with one of the engine's AppContext switches (<paramref name="switchName"/>, default on) off and on,
    /// interleaved within each round (the grains are deactivated before each sweep), so a shared machine's load falls on both
    /// alike.
    /// </summary>
    private static async Task SwitchAbAsync(ColdMillionSettings settings, BenchContext context, IReadOnlyList<IBenchGrain> sample, string walDirectory, TextWriter output, string switchName, string label)
    {
        const int Rounds = 3;
        string[] variants = ["off", "on"];
        var sweeps = variants.ToDictionary(v => v, _ => new List<Sweep>());
        for (int round = 0; round < Rounds; round++)
        {
            foreach (string variant in variants)
            {
                AppContext.SetSwitch(switchName, variant == "on");
                await GrainDeactivator.DeactivateAllAsync(context, sample);
                Sweep sweep = await SweepAsync(settings, sample, evictBeforeEach: walDirectory);
                sweeps[variant].Add(sweep);
                BenchContext.Progress($"cold-million: {label} {variant}, round {round + 1}: p50 {Fmt.Duration(sweep.Latency.Percentile(0.5))}, p99 {Fmt.Duration(sweep.Latency.Percentile(0.99))}, load {sweep.Load?.OneMinute:0.00}");
            }
        }

        AppContext.SetSwitch(switchName, true);
        output.WriteLine();
        output.WriteLine($"{label} ({switchName}) off and on, the log's files evicted before each call, {Rounds} rounds interleaved:");
        output.WriteLine();
        var table = new MarkdownTable($"{label}, round", "first call p50", "p99", "max", "read calls p50 / p99 / max", "KiB read from storage p50 / p99 / max", "load avg 1 min");
        for (int round = 0; round < Rounds; round++)
        {
            foreach (string variant in variants)
            {
                sweeps[variant][round].AddRow(table, $"{variant}, {round + 1}");
            }
        }

        output.WriteLine(table);
    }

    private static async Task AddCrowdStreamAsync(WriteAheadLog log, string stream, ReadOnlyMemory<byte>[] oneEvent, ReadOnlyMemory<byte> state)
    {
        await log.AppendAsync(stream, ExpectedVersion.NoStream, oneEvent);
        await log.WriteCheckpointAsync(stream, 1, state);
    }

    private static string StreamOf(long key) =>
        GrainStreamNames.Journal(ProviderNames.WalLogConsistency, GrainId.Create(GrainType.Create(BenchGrainTypes.WalJournaled), GrainIdKeyExtensions.CreateIntegerKey(key)));

    private static async Task<Sweep> SweepAsync(ColdMillionSettings settings, IReadOnlyList<IBenchGrain> sample, string? evictBeforeEach)
    {
        var sweep = new Sweep();
        foreach (IBenchGrain grain in sample)
        {
            if (evictBeforeEach is not null)
            {
                ProcessIo.EvictDirectory(evictBeforeEach);
            }

            var (callsBefore, bytesBefore) = ProcessIo.Read();
            long before = Stopwatch.GetTimestamp();
            long events = await grain.Writes();
            long ticks = Stopwatch.GetTimestamp() - before;
            var (callsAfter, bytesAfter) = ProcessIo.Read();
            if (events != settings.Events)
            {
                throw new InvalidOperationException($"grain {grain.GetPrimaryKeyLong()} recovered {events} events (expected {settings.Events})");
            }

            sweep.Latency.RecordTicks(ticks);
            sweep.ReadCalls.Add(callsAfter - callsBefore);
            sweep.ReadBytes.Add(bytesAfter - bytesBefore);
        }

        sweep.Load = LoadAverage.Read();
        return sweep;
    }

    private sealed class Sweep
    {
        public LatencyHistogram Latency { get; } = new();

        public List<long> ReadCalls { get; } = [];

        public List<long> ReadBytes { get; } = [];

        public LoadAverage? Load { get; set; }

        public void AddRow(MarkdownTable table, string name)
        {
            table.Add(name,
                Fmt.Duration(Latency.Percentile(0.5)), Fmt.Duration(Latency.Percentile(0.99)), Fmt.Duration(Latency.Percentile(1.0)),
                $"{Rank(ReadCalls, 0.5)} / {Rank(ReadCalls, 0.99)} / {ReadCalls.Max()}",
                $"{Rank(ReadBytes, 0.5) / 1024.0:#,0} / {Rank(ReadBytes, 0.99) / 1024.0:#,0} / {ReadBytes.Max() / 1024.0:#,0}",
                $"{Load?.OneMinute:0.00}");
        }

        private static long Rank(List<long> values, double quantile)
        {
            long[] sorted = [.. values.Order()];
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
        }
    }

    private sealed class ColdMillionSettings
    {
        public int Streams { get; set; } = 1_000_000;

        public int Sample { get; set; } = 256;

        public int Events { get; set; } = 199;

        public int CheckpointEvery { get; set; } = 100;

        public int PayloadBytes { get; set; } = 100;

        public string DataRoot { get; set; } = Path.GetTempPath();

        public bool ReadAheadAb { get; set; }

        public bool SpanReadsAb { get; set; }

        public bool SpanPositionsAb { get; set; }
    }
}
