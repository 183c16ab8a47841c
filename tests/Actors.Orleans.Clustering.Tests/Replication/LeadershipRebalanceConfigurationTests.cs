using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace Actors.Orleans.Clustering.Tests.Replication;

/// <summary><see cref="LeadershipRebalanceOptions"/> bound from the replication section's <c>Rebalance</c> subsection (the silo built, not started).</summary>
public sealed class LeadershipRebalanceConfigurationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void AddWriteAheadLogReplication_RebalanceSubsection_BindsTheRebalanceOptions()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WriteAheadLog:Replication:ConnectionString"] = "Host=127.0.0.1;Port=5432;Username=orleans",
            ["WriteAheadLog:Replication:ReplicationFactor"] = "3",
            ["WriteAheadLog:Replication:Rebalance:Enabled"] = "false",
            ["WriteAheadLog:Replication:Rebalance:Interval"] = "00:00:05",
            ["WriteAheadLog:Replication:Rebalance:MaxMovesPerPass"] = "2",
        });
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering()
            .AddWriteAheadLog(o => o.Directory = _directory.Path)
            .AddWriteAheadLogReplication(silo.Configuration.GetSection("WriteAheadLog:Replication")));
        using IHost host = builder.Build();

        LeadershipRebalanceOptions options = host.Services.GetRequiredService<IOptions<LeadershipRebalanceOptions>>().Value;

        Assert.False(options.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Interval);
        Assert.Equal(2, options.MaxMovesPerPass);
    }
}
