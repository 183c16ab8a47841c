using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace Actors.Orleans.Clustering.Tests.Replication;

/// <summary><see cref="ReplicaBalanceOptions"/>: defaults, validation naming the setting, binding from the <c>Balance</c> subsection.</summary>
public sealed class ReplicaBalanceOptionsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var options = new ReplicaBalanceOptions();

        options.Validate();
        Assert.True(options.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Interval);
        Assert.Equal(2, options.MaxMovesUnderWay);
    }

    [Theory]
    [InlineData(50, 2, "ReplicaBalanceOptions.Interval")]
    [InlineData(8 * 86_400_000L, 2, "ReplicaBalanceOptions.Interval")]
    [InlineData(1000, 0, "ReplicaBalanceOptions.MaxMovesUnderWay")]
    [InlineData(1000, 4097, "ReplicaBalanceOptions.MaxMovesUnderWay")]
    public void Validate_BadValue_FailsNamingTheSetting(long intervalMilliseconds, int maxMoves, string setting)
    {
        var options = new ReplicaBalanceOptions { Interval = TimeSpan.FromMilliseconds(intervalMilliseconds), MaxMovesUnderWay = maxMoves };

        var failure = Assert.Throws<WriteAheadLogReplicationException>(options.Validate);

        Assert.Contains(setting, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddWriteAheadLogReplication_BalanceSubsection_BindsTheBalanceOptions()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WriteAheadLog:Replication:ConnectionString"] = "Host=127.0.0.1;Port=5432;Username=orleans",
            ["WriteAheadLog:Replication:ReplicationFactor"] = "2",
            ["WriteAheadLog:Replication:Balance:Enabled"] = "false",
            ["WriteAheadLog:Replication:Balance:Interval"] = "00:00:30",
            ["WriteAheadLog:Replication:Balance:MaxMovesUnderWay"] = "1",
        });
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering()
            .AddWriteAheadLog(o => o.Directory = _directory.Path)
            .AddWriteAheadLogReplication(silo.Configuration.GetSection("WriteAheadLog:Replication")));
        using IHost host = builder.Build();

        ReplicaBalanceOptions options = host.Services.GetRequiredService<IOptions<ReplicaBalanceOptions>>().Value;

        Assert.False(options.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Interval);
        Assert.Equal(1, options.MaxMovesUnderWay);
    }
}
