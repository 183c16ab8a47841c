using Actors.Demo.Grains.Accounts;
using Actors.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Actors.Hosting.Tests.Dashboard;

/// <summary>The dashboard page in a real headless Chromium against a real silo (the silo executable's composition, in process).</summary>
[Trait("Category", "Browser")]
public sealed class DashboardBrowserTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>How long a condition may stay false: a bound for a dashboard that stopped updating, not a speed expectation (the test runs beside CPU hogs in the stress mode).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-dashboard-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Where the screenshots go: under the test's output directory.</summary>
    public static string ArtifactDirectory => Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Dashboard_UnderLoad_ShowsLiveNumbersInEveryPanelWithoutConsoleErrors()
    {
        await using WebApplication silo = SiloApplication.Create(
        [
            $"--Actors:DataDirectory={_directory}", "--Actors:Gateway:Port=0", "--Actors:Health:Port=0",
            "--Actors:Dashboard:Enabled=true", "--Actors:Dashboard:RefreshInterval=00:00:00.25",
        ]);
        await silo.StartAsync();
        string page = SiloApplication.HealthAddresses(silo).Single() + "/dashboard/";
        await using HeadlessChromium browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(page);
        await browser.WaitUntilAsync("Number(document.body.dataset.updates) >= 2", Patience, "page polling its data");

        IGrainFactory grains = silo.Services.GetRequiredService<IGrainFactory>();
        using var stopLoad = new CancellationTokenSource();
        Task load = LoadAsync(grains, stopLoad.Token);
        try
        {
            await browser.WaitUntilAsync(
                "document.querySelector('[data-stat=calls-rate]') && parseFloat(document.querySelector('[data-stat=calls-rate]').textContent.replace(/,/g, '')) > 0",
                Patience, "calls/s above zero under load", "document.querySelector('#panel-calls')?.innerText");
            const string appendsTotal = "parseFloat((document.querySelector('[data-stat=wal-appends-total]')?.textContent ?? '').replace(/,/g, ''))";
            await browser.WaitUntilAsync($"{appendsTotal} > 0", Patience, "WAL appends counted", "document.querySelector('#panel-wal')?.innerText");
            double before = ParseNumber(await Text(browser, "wal-appends-total"));
            await browser.WaitUntilAsync($"{appendsTotal} > {before}", Patience, $"WAL appends in total growing past {before} under load", "document.querySelector('#panel-wal')?.innerText");
            Assert.True(ParseNumber(await Text(browser, "wal-appends-total")) > before);
            await browser.WaitUntilAsync("document.querySelector('[data-stat=fsync-count]') && document.querySelector('#panel-fsync canvas')", Patience, "fsync histogram drawn");
            await AssertPanelsAndSaveScreenshotsAsync(browser);
        }
        finally
        {
            await stopLoad.CancelAsync();
            await load;
        }

        Assert.Empty(browser.Errors);
        await silo.StopAsync();
    }

    private async Task AssertPanelsAndSaveScreenshotsAsync(HeadlessChromium browser)
    {
        string[] expected = ["silos", "activations", "calls", "latency", "wal", "groupcommit", "fsync", "space", "checkpoints", "reminders", "recovery", "errors", "process", "segments"];
        foreach (string id in expected)
        {
            await browser.WaitUntilAsync($"(() => {{ const e = document.getElementById('panel-{id}'); return !!e && !e.hidden; }})()", Patience, $"panel {id} shown");
        }

        // A checkpoint needs 100 events in one account: the load reaches it sooner or later.
        await browser.WaitUntilAsync("parseFloat(document.querySelector('[data-stat=checkpoints-total]').textContent.replace(/,/g, '')) > 0", Patience,
            "a checkpoint counted", "document.querySelector('#panel-checkpoints')?.innerText");
        await browser.WaitUntilAsync("document.querySelector('[data-stat=latency-p99]').textContent.endsWith(' ms')", Patience,
            "call latency p99 shown", "document.querySelector('#panel-latency')?.innerText");
        Assert.Equal("Healthy", (await browser.EvaluateAsync("document.getElementById('status').textContent"))!.GetValue<string>());
        // The demo grains register no reminders: the panel reads the silo's reminder gauges (a dash would mean it found none).
        Assert.Equal("0", await Text(browser, "reminders-registered"));
        Assert.Equal("0", await Text(browser, "reminders-due"));
        Assert.Contains("account", (await browser.EvaluateAsync("document.getElementById('panel-activations').innerText"))!.GetValue<string>(), StringComparison.Ordinal);
        // The per-segment table: the active segment's row, with its live ratio.
        await browser.WaitUntilAsync("(document.getElementById('panel-segments')?.innerText ?? '').includes('active')", Patience,
            "the active segment listed", "document.querySelector('#panel-segments')?.innerText");

        string[] shown = [.. (await browser.EvaluateAsync("[...document.querySelectorAll('section.panel')].filter(s => !s.hidden).map(s => s.id)"))!.AsArray().Select(n => n!.GetValue<string>())];
        foreach (string id in shown)
        {
            string file = Path.Combine(ArtifactDirectory, $"{id}.png");
            await browser.ScreenshotAsync($"#{id}", file);
            Assert.True(new FileInfo(file).Length > 1000, $"screenshot {file} has content");
        }

        await browser.ScreenshotAsync(null, Path.Combine(ArtifactDirectory, "dashboard.png"));
        output.WriteLine($"Dashboard screenshots ({shown.Length} panels and the whole page), taken under load: {ArtifactDirectory}");
    }

    private static async Task<string> Text(HeadlessChromium browser, string stat)
        => (await browser.EvaluateAsync($"document.querySelector('[data-stat={stat}]')?.textContent ?? ''"))!.GetValue<string>();

    private static double ParseNumber(string text) => double.Parse(text.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Deposits into 20 accounts until stopped (at most 200,000 calls): events, group commits, fsyncs and, every 100 events, checkpoints.</summary>
    private static async Task LoadAsync(IGrainFactory grains, CancellationToken stop)
    {
        async Task Worker(int worker)
        {
            for (int i = 0; i < 10_000 && !stop.IsCancellationRequested; i++)
            {
                await grains.GetGrain<IBankAccountGrain>($"dash-{(worker + i) % 20}").Deposit(1, $"w{worker}-{i}");
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 20).Select(Worker));
    }
}
