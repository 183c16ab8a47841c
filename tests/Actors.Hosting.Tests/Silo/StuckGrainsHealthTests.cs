using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Actors.Hosting.Tests.Silo;

/// <summary>The silo's <c>grains</c> health check shows the stuck-grain detector.</summary>
public sealed class StuckGrainsHealthTests
{
    [Fact]
    public async Task Health_GrainTurnRunsLongerThanThreshold_DegradedNamingGrainAndMethodThenHealthy()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Actors:StuckCallThreshold"] = "00:00:00.200" });
        var gate = new BlockingGate();
        builder.Services.AddSingleton(gate);
        builder.UseActors(silo => silo.AddGrain<BlockingGrain>());
        using IHost host = builder.Build();
        await host.StartAsync();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["grains"].Status);

        Task blocked = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IBlockingGrain>("b1").Block();
        HealthReportEntry degraded = await UntilAsync(health, HealthStatus.Degraded);

        Assert.Contains("blocking/b1 IBlockingGrain.Block running", degraded.Description, StringComparison.Ordinal);
        Assert.Equal(1, degraded.Data["stuckNow"]);
        gate.Release.SetResult();
        await blocked;
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["grains"].Status);
        await host.StopAsync();
    }

    private static async Task<HealthReportEntry> UntilAsync(HealthCheckService health, HealthStatus status)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            HealthReportEntry entry = (await health.CheckHealthAsync()).Entries["grains"];
            if (entry.Status == status)
            {
                return entry;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The grains check stayed {entry.Status} ('{entry.Description}'), expected {status}.");
            }

            await Task.Delay(20);
        }
    }
}

public interface IBlockingGrain : IGrainWithStringKey
{
    Task Block();
}

public sealed class BlockingGate
{
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public sealed class BlockingGrain(BlockingGate gate) : Grain, IBlockingGrain
{
    public Task Block() => gate.Release.Task;
}
