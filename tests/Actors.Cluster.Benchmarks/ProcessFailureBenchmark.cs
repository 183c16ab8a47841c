using System.Diagnostics;
using Actors.Cluster.Membership;

namespace Actors.Cluster.Benchmarks;

/// <summary>
/// Failure detection with the silo program as processes and the default lease (3 s, renewed every 500 ms), over a
/// PostgreSQL given by connection string (scripts/cluster-bench.sh starts one):
/// <list type="bullet">
/// <item><c>detect</c>: two silos; one is killed with SIGKILL; the time from the kill until its row reads Dead, per round;</item>
/// <item><c>hog</c>: two silos with CPU hogs (busy processes, one per core, same priority) beside them for a while;
/// any silo declared dead is a false death (the figure to report is how many).</item>
/// </list>
/// </summary>
internal static class ProcessFailureBenchmark
{
    public static async Task<int> DetectAsync(string[] args)
    {
        var options = new BenchOptions(args);
        string connectionString = RequireConnectionString(options);
        int rounds = options.GetInt("rounds", 5);
        string root = Path.Combine(Path.GetTempPath(), "actors-cluster-detect-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine($"failure detection (SIGKILL of a silo process, default lease): {rounds} rounds; load average before: {BenchOptions.LoadAverage()}");
        var results = new List<double>();
        try
        {
            for (int round = 1; round <= rounds; round++)
            {
                await using var cluster = new BenchCluster(connectionString, root, $"detect{round}", 2);
                await cluster.StartAsync();
                var clock = Stopwatch.StartNew();
                await cluster.Processes[1].KillAsync();
                while ((await cluster.ReadAsync()).FindSilo(cluster.Names[1])!.Status != SiloStatus.Dead)
                {
                    if (clock.Elapsed > TimeSpan.FromMinutes(1))
                    {
                        throw new TimeoutException($"{cluster.Names[1]} not declared dead within a minute of its SIGKILL");
                    }

                    await Task.Delay(10);
                }

                results.Add(clock.Elapsed.TotalMilliseconds);
                Console.WriteLine($"  round {round}: declared dead {results[^1]:N0} ms after SIGKILL");
            }
        }
        finally
        {
            DeleteRoot(root);
        }

        results.Sort();
        Console.WriteLine($"median {results[results.Count / 2]:N0} ms, max {results[^1]:N0} ms; load average after: {BenchOptions.LoadAverage()}");
        return 0;
    }

    public static async Task<int> HogAsync(string[] args)
    {
        var options = new BenchOptions(args);
        string connectionString = RequireConnectionString(options);
        int seconds = options.GetInt("seconds", 60);
        int hogs = options.GetInt("hogs", Environment.ProcessorCount);
        string root = Path.Combine(Path.GetTempPath(), "actors-cluster-hog-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine($"CPU hog: two silo processes (default lease) beside {hogs} busy processes for {seconds} s; load average before: {BenchOptions.LoadAverage()}");
        var busy = new List<Process>();
        try
        {
            await using var cluster = new BenchCluster(connectionString, root, "hog", 2);
            await cluster.StartAsync();
            for (int i = 0; i < hogs; i++)
            {
                busy.Add(Process.Start(new ProcessStartInfo("sh", "-c \"while :; do :; done\"") { UseShellExecute = false })!);
            }

            var clock = Stopwatch.StartNew();
            int deaths = 0;
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds) && deaths == 0)
            {
                await Task.Delay(500);
                deaths = (await cluster.ReadAsync()).Silos.Count(s => s.Status == SiloStatus.Dead);
            }

            Console.WriteLine($"after {clock.Elapsed.TotalSeconds:N0} s under the hogs: {deaths} silo(s) declared dead (load average {BenchOptions.LoadAverage()})");
            return deaths == 0 ? 0 : 1;
        }
        finally
        {
            foreach (Process process in busy)
            {
                process.Kill();
                process.Dispose();
            }

            DeleteRoot(root);
        }
    }

    private static string RequireConnectionString(BenchOptions options)
        => options.Get("pg", "") is { Length: > 0 } value ? value : throw new ArgumentException("needs --pg <PostgreSQL connection string> (scripts/cluster-bench.sh starts a server)");

    private static void DeleteRoot(string root)
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
