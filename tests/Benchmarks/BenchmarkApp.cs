using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Micro;
using Actors.Benchmarks.Scenarios;
using Actors.Benchmarks.Wal;
using Npgsql;

namespace Actors.Benchmarks;

/// <summary>Parses the command line, prepares the data directory, runs the chosen scenarios, prints the report.</summary>
internal static class BenchmarkApp
{
    private static readonly IScenario[] All =
    [
        new ThroughputScenario(),
        new LatencyScenario(),
        new ReplayScenario(),
        new RecoveryScenario(),
        new IndexMemoryScenario(),
        new AgedLogScenario(),
        new ChangeFeedScenario(),
        new LifecycleScenario(),
    ];

    /// <summary>Scenarios run only when named (not part of <c>all</c>).</summary>
    private static readonly IScenario[] OnRequest = [new ProfileScenario(), new ColdReadScenario(), new JournalLatencyScenario()];

    public static async Task<int> RunAsync(string[] argv)
    {
        BenchArgs args;
        try
        {
            args = BenchArgs.Parse(argv);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        if (args.Help)
        {
            Console.WriteLine(BenchArgs.Usage);
            return 0;
        }

        if (args.Scenarios.Contains("micro"))
        {
            FramingBenchmarks.Run(argv.Where(a => a != "micro").ToArray());
            return 0;
        }

        List<IScenario> chosen;
        try
        {
            chosen = Choose(args.Scenarios);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        string root = Path.Combine(args.Directory ?? DataDirectories.DefaultParent(), $"actors-bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var report = new Report();
        try
        {
            string? pgVersion = await ProbePostgresAsync(args.Postgres, cancel.Token);
            var context = new RunContext(args, root, report, pgVersion);
            report.Heading($"Actors benchmarks ({(args.Quick ? "quick" : "full")} run)");
            report.Print(MachineInfo.Describe(root, pgVersion));
            report.Note($"WAL engine in this build: {(WalFactory.IsAvailable ? "yes" : "no (WAL figures are pending)")}. " +
                $"Throughput windows: {context.Warmup.TotalSeconds:0.#} s warm-up + {context.Window.TotalSeconds:0.#} s measured per configuration.");
            foreach (IScenario scenario in chosen)
            {
                report.Heading($"{scenario.Number}. {scenario.Title}");
                Report.Progress($"scenario {scenario.Number}: {scenario.Title}");
                await scenario.RunAsync(context, cancel.Token);
            }

            PrintGoals(context);
            report.Note($"\nLoad average at the end: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown")} " +
                $"({Environment.ProcessorCount} cores; other processes on this machine share them and the disk).");
            if (args.OutFile is not null)
            {
                await File.WriteAllTextAsync(args.OutFile, report.ToMarkdown(), cancel.Token);
                Report.Progress($"report written to {args.OutFile}");
            }

            return 0;
        }
        finally
        {
            if (!args.Keep)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static List<IScenario> Choose(IReadOnlyList<string> names)
    {
        if (names.Contains("all"))
        {
            return [.. All];
        }

        var chosen = new List<IScenario>();
        foreach (string name in names)
        {
            IScenario scenario = All.Concat(OnRequest).FirstOrDefault(s => s.Key == name || s.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) == name)
                ?? throw new ArgumentException($"Unknown scenario '{name}'.\n{BenchArgs.Usage}");
            chosen.Add(scenario);
        }

        return chosen;
    }

    private static async Task<string?> ProbePostgresAsync(string? connectionString, CancellationToken cancellationToken)
    {
        if (connectionString is null)
        {
            Report.Progress("PostgreSQL: no --pg and no ACTORS_BENCH_PG; its columns say \"not run\"");
            return null;
        }

        try
        {
            await using NpgsqlDataSource source = Peers.PostgresTarget.CreateDataSource(connectionString, 2);
            await using NpgsqlCommand command = source.CreateCommand(
                "SELECT version(), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('wal_sync_method')");
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            string version = reader.GetString(0);
            int comma = version.IndexOf(',', StringComparison.Ordinal);
            return $"{(comma > 0 ? version[..comma] : version)}; fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}, wal_sync_method={reader.GetString(3)}";
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ArgumentException or TimeoutException)
        {
            Report.Progress($"PostgreSQL: cannot connect ({ex.GetType().Name}: {ex.Message}); its columns say \"not run\"");
            return null;
        }
    }

    private static void PrintGoals(RunContext context)
    {
        if (context.Goals.Count == 0)
        {
            return;
        }

        context.Report.Heading("Goals (issue #7)");
        var table = new Table("goal", "measured", "verdict");
        foreach (GoalResult goal in context.Goals)
        {
            table.Add(goal.Goal, goal.Measured, goal.Verdict);
        }

        context.Report.Print(table);
    }
}
