using System.Diagnostics;
using Actors.Client;
using Actors.Cluster.Membership;
using Actors.Demo.Grains.Accounts;

namespace Actors.Cluster.Benchmarks;

/// <summary>
/// Failure detection with the silo program as processes and the default lease (3 s, renewed every 500 ms), over a
/// PostgreSQL given by connection string (scripts/cluster-bench.sh starts one):
/// <list type="bullet">
/// <item><c>detect</c>: two silos; one is killed with SIGKILL; the time from the kill until its row reads Dead, per round;</item>
/// <item><c>hog</c>: two silos kept busy by callers (durable deposits through one gateway) with CPU hogs (busy
/// processes, one per core, same priority) beside them for a while; any silo declared dead is a false death (the figure
/// to report is how many), and the smallest lease margin seen (lease end minus the store's clock, polled every 100 ms)
/// says how close the silos came to one.</item>
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
        int callers = options.GetInt("callers", 16);
        string root = Path.Combine(Path.GetTempPath(), "actors-cluster-hog-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine($"CPU hog: two silo processes (default lease) beside {hogs} busy processes for {seconds} s, {callers} callers making durable deposits through one gateway; load average before: {BenchOptions.LoadAverage()}");
        var busy = new List<Process>();
        using var stopCalls = new CancellationTokenSource();
        long calls = 0;
        long failures = 0;
        var load = new List<Task>();
        try
        {
            await using var cluster = new BenchCluster(connectionString, root, "hog", 2);
            await cluster.StartAsync();
            IClusterClient client = cluster.Clients[cluster.Names[0]];
            for (int caller = 0; caller < callers; caller++)
            {
                // The silos' own work is what a starved renewal used to queue behind: keep both busy (half the calls hop).
                IBankAccountGrain account = client.GetGrain<IBankAccountGrain>($"hog-{caller}");
                load.Add(Task.Run(async () =>
                {
                    while (!stopCalls.IsCancellationRequested)
                    {
                        try
                        {
                            await account.Deposit(1, "hog");
                            Interlocked.Increment(ref calls);
                        }
                        catch (Exception) when (!stopCalls.IsCancellationRequested)
                        {
                            Interlocked.Increment(ref failures);
                        }
                    }
                }));
            }

            for (int i = 0; i < hogs; i++)
            {
                busy.Add(Process.Start(new ProcessStartInfo("sh", "-c \"while :; do :; done\"") { UseShellExecute = false })!);
            }

            // The smallest margin seen between a silo's lease end and the store's clock: how close it came to a false death.
            var clock = Stopwatch.StartNew();
            int deaths = 0;
            TimeSpan smallestMargin = TimeSpan.MaxValue;
            string closest = "";
            while (clock.Elapsed < TimeSpan.FromSeconds(seconds) && deaths == 0)
            {
                await Task.Delay(100);
                ClusterSnapshot table = await cluster.ReadAsync();
                deaths = table.Silos.Count(s => s.Status == SiloStatus.Dead);
                foreach (SiloRecord silo in table.Silos.Where(s => s.IsLive))
                {
                    if (silo.LeaseExpiresAt - table.Now < smallestMargin)
                    {
                        (smallestMargin, closest) = (silo.LeaseExpiresAt - table.Now, silo.Name);
                    }
                }
            }

            Console.WriteLine($"after {clock.Elapsed.TotalSeconds:N0} s under the hogs: {deaths} silo(s) declared dead; smallest lease margin seen {smallestMargin.TotalMilliseconds:N0} ms ({closest}; 3,000 ms right after a renewal, 0 means expired); {Interlocked.Read(ref calls):N0} deposits, {Interlocked.Read(ref failures):N0} failed (load average {BenchOptions.LoadAverage()})");
            return deaths == 0 ? 0 : 1;
        }
        finally
        {
            await stopCalls.CancelAsync();
            foreach (Process process in busy)
            {
                process.Kill();
                process.Dispose();
            }

            await Task.WhenAll(load).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
