using System.Diagnostics;
using System.Globalization;
using Actors.Client;
using Actors.Hosting;
using Actors.Persistence.Wal.Hosting;
using Actors.Persistence.Wal.Tests.Cluster;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Actors.Persistence.Wal.Tests.Reminders;

/// <summary>
/// Many reminders in the write-ahead log (SyncPolicy Always) firing on the system clock: every reminder must tick the
/// expected number of times; the lateness of each tick (grain receipt minus its schedule point) is reported as p50,
/// p99 and max, never asserted. The suite runs the short form (10,000 reminders, 1 s period, 2 ticks each);
/// scripts/reminder-soak.sh runs the long form through the environment variables below.
/// </summary>
[Trait("Category", "Soak")]
public sealed class ReminderSoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TenThousandReminders_EveryOneTicksOnSchedule_LatenessReported()
    {
        int reminders = Setting("ACTORS_REMINDER_SOAK_REMINDERS", 10_000);
        int ticks = Setting("ACTORS_REMINDER_SOAK_TICKS", 2);
        TimeSpan period = TimeSpan.FromSeconds(Setting("ACTORS_REMINDER_SOAK_PERIOD_SECONDS", 1));
        var recorder = new LatenessRecorder(reminders);
        await using TestCluster cluster = await WalCluster.StartAsync(configureSilo: silo =>
        {
            silo.AddGrain<SoakReminderGrain>().UseWriteAheadLogReminderService();
            silo.Services.AddSingleton(recorder);
            silo.Services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = period);
        },
        // 10,000 durable registrations at once: on a loaded machine (CI beside other work, the stress mode) one of them
        // waited more than the client's default 30 s for its group commit (a landing run at load average 50). The test
        // reports lateness and checks that every reminder ticks; how long a registration takes is not what it checks.
        configureClient: client => client.Configure(o => o.ResponseTimeout = TimeSpan.FromMinutes(10)));

        // First ticks spread evenly over one period after all registrations, as a population of reminders would be.
        var clock = Stopwatch.StartNew();
        TimeSpan lead = TimeSpan.FromSeconds(Math.Max(2, reminders / 2_000));
        await Task.WhenAll(Enumerable.Range(0, reminders).Select(i =>
            cluster.Client.GetGrain<ISoakReminderGrain>(i).Register(Max(TimeSpan.Zero, lead - clock.Elapsed + (period * i / reminders)), period)));
        TimeSpan registered = clock.Elapsed;

        TimeSpan limit = lead + (period * (ticks + 1)) + TimeSpan.FromMinutes(2);
        while (recorder.MinTicks() < ticks)
        {
            Assert.True(clock.Elapsed < limit, $"After {clock.Elapsed} only {recorder.LatenessMs.Count} ticks arrived; the slowest reminder has {recorder.MinTicks()} of {ticks}.");
            await Task.Delay(50);
        }

        double[] lateness = [.. recorder.LatenessMs.Order()];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{reminders:N0} reminders, period {period.TotalSeconds:0.###} s, fired {lateness.Length:N0} ticks of {(long)reminders * ticks:N0} expected ({recorder.Duplicates} redelivered points); registration {registered.TotalSeconds:F1} s; " +
            $"lateness p50 {Percentile(lateness, 0.50):F1} ms, p99 {Percentile(lateness, 0.99):F1} ms, max {lateness[^1]:F1} ms; load average {LoadAverage()}"));
        Assert.True(lateness.Length >= reminders * ticks);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static int Setting(string name, int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
