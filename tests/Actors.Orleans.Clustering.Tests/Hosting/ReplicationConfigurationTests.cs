using Actors.Orleans.Clustering.Partitioning;
using Actors.Replication.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Storage;

namespace Actors.Orleans.Clustering.Tests.Hosting;

/// <summary>
/// <c>AddWriteAheadLogReplication</c> from configuration (an <see cref="IConfiguration"/> section, an
/// <see cref="OptionsBuilder{TOptions}"/>, or the <c>ReplicatedWriteAheadLog</c> provider type of appsettings alone). The
/// silos are built, not started: what is checked is what they would start with.
/// </summary>
public sealed class ReplicationConfigurationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void AddWriteAheadLogReplication_ConfigurationSection_BindsEveryOptionAndTheProtocolTiming()
    {
        using IHost host = Build(Settings(), silo => silo
            .UseLocalhostClustering()
            .AddWriteAheadLog(o => o.Directory = _directory.Path)
            .AddWriteAheadLogReplication(silo.Configuration.GetSection("WriteAheadLog:Replication")));

        WriteAheadLogReplicationOptions options = host.Services.GetRequiredService<IOptions<WriteAheadLogReplicationOptions>>().Value;
        Assert.Equal("Host=127.0.0.1;Port=5432;Username=orleans", options.ConnectionString);
        Assert.Equal(3, options.ReplicationFactor);
        Assert.Equal(16, options.PartitionCount);
        ReplicaOptions protocol = host.Services.GetRequiredService<IOptions<ReplicaOptions>>().Value;
        Assert.Equal(TimeSpan.FromMilliseconds(80), protocol.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), protocol.LeaderTimeout);
        Assert.Equal(EntryLogLayout.PerReplicaFiles, protocol.EntryLogLayout);
        Assert.Equal(ReplicaOptions.DefaultFollowerLagTimeout, protocol.FollowerLagTimeout);
    }

    [Fact]
    public void AddWriteAheadLogReplication_OptionsBuilderWithBadValue_FailsNamingTheSetting()
    {
        Dictionary<string, string?> settings = Settings();
        settings["WriteAheadLog:Replication:ReplicationFactor"] = "9";
        using IHost host = Build(settings, silo => silo
            .UseLocalhostClustering()
            .AddWriteAheadLog(o => o.Directory = _directory.Path)
            .AddWriteAheadLogReplication(ob => ob.Bind(silo.Configuration.GetSection("WriteAheadLog:Replication")).Configure(o => o.PartitionCount = 8)));

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<WriteAheadLogReplicationOptions>>().Value);
        Assert.Contains("WriteAheadLogReplicationOptions.ReplicationFactor is 9", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddWriteAheadLogReplication_ConnectionName_TakesTheNamedConnectionString()
    {
        Dictionary<string, string?> settings = Settings();
        settings.Remove("WriteAheadLog:Replication:ConnectionString");
        settings["WriteAheadLog:Replication:ConnectionName"] = "cluster-db";
        settings["ConnectionStrings:cluster-db"] = "Host=db.example;Username=aspire";
        using IHost host = Build(settings, silo => silo
            .UseLocalhostClustering()
            .AddWriteAheadLog(o => o.Directory = _directory.Path)
            .AddWriteAheadLogReplication(silo.Configuration.GetSection("WriteAheadLog:Replication")));

        Assert.Equal("Host=db.example;Username=aspire", host.Services.GetRequiredService<IOptions<WriteAheadLogReplicationOptions>>().Value.ConnectionString);
    }

    [Fact]
    public void AddWriteAheadLogReplication_ConnectionNameOfMissingConnectionString_FailsNamingBoth()
    {
        Dictionary<string, string?> settings = Settings();
        settings.Remove("WriteAheadLog:Replication:ConnectionString");
        settings["WriteAheadLog:Replication:ConnectionName"] = "cluster-db";
        using IHost host = Build(settings, silo => silo
            .UseLocalhostClustering()
            .AddWriteAheadLog(o => o.Directory = _directory.Path)
            .AddWriteAheadLogReplication(silo.Configuration.GetSection("WriteAheadLog:Replication")));

        var failure = Assert.Throws<WriteAheadLogReplicationException>(() => host.Services.GetRequiredService<IOptions<WriteAheadLogReplicationOptions>>().Value);
        Assert.Contains("WriteAheadLog:Replication:ConnectionName is 'cluster-db'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:cluster-db", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseOrleans_ReplicatedWriteAheadLogProviderTypeInConfigurationAlone_AddsTheLogStorageAndReplication()
    {
        Dictionary<string, string?> settings = Settings();
        settings["Orleans:Clustering:ProviderType"] = "Development";
        settings["Orleans:GrainStorage:Default:ProviderType"] = "ReplicatedWriteAheadLog";
        settings["Orleans:GrainStorage:Default:CheckpointEveryWrites"] = "5";
        settings["Orleans:GrainStorage:carts:ProviderType"] = "WriteAheadLog";
        using IHost host = Build(settings, configure: null);

        Assert.Equal(_directory.Path, host.Services.GetRequiredService<IOptions<SiloLogOptions>>().Value.Directory);
        var keyed = host.Services.GetRequiredService<IServiceProviderIsKeyedService>();
        Assert.True(keyed.IsKeyedService(typeof(IGrainStorage), "Default"), "no grain storage 'Default' registered");
        Assert.True(keyed.IsKeyedService(typeof(IGrainStorage), "carts"), "no grain storage 'carts' registered");
        Assert.Equal(5, host.Services.GetRequiredService<IOptionsMonitor<WriteAheadLogGrainStorageOptions>>().Get("Default").CheckpointEveryWrites);
        Assert.True(host.Services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(PartitionedGrainLogResolver)), "replication was not added");
        WriteAheadLogReplicationOptions options = host.Services.GetRequiredService<IOptions<WriteAheadLogReplicationOptions>>().Value;
        Assert.Equal(3, options.ReplicationFactor);
        Assert.Equal(16, options.PartitionCount);
        Assert.Equal(TimeSpan.FromMilliseconds(80), host.Services.GetRequiredService<IOptions<ReplicaOptions>>().Value.HeartbeatInterval);
    }

    [Fact]
    public void UseOrleans_ReplicatedWriteAheadLogProviderTypeWithoutReplicationSection_FailsNamingTheConnectionString()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orleans:Clustering:ProviderType"] = "Development",
            ["Orleans:GrainStorage:Default:ProviderType"] = "ReplicatedWriteAheadLog",
            ["WriteAheadLog:Directory"] = _directory.Path,
        };
        using IHost host = Build(settings, configure: null);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<WriteAheadLogReplicationOptions>>().Value);
        Assert.Contains("WriteAheadLogReplicationOptions.ConnectionString is required", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseOrleans_ReplicationSectionWithSingleSiloProviderTypeOnly_LeavesTheLogUnreplicated()
    {
        Dictionary<string, string?> settings = Settings();
        settings["Orleans:Clustering:ProviderType"] = "Development";
        settings["Orleans:GrainStorage:Default:ProviderType"] = "WriteAheadLog";
        using IHost host = Build(settings, configure: null);

        Assert.False(host.Services.GetRequiredService<IServiceProviderIsService>().IsService(typeof(PartitionedGrainLogResolver)), "replication was added by a provider type that does not add it");
        Assert.True(host.Services.GetRequiredService<IServiceProviderIsKeyedService>().IsKeyedService(typeof(IGrainStorage), "Default"), "no grain storage 'Default' registered");
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["WriteAheadLog:Directory"] = _directory.Path,
        ["WriteAheadLog:Replication:ConnectionString"] = "Host=127.0.0.1;Port=5432;Username=orleans",
        ["WriteAheadLog:Replication:ReplicationFactor"] = "3",
        ["WriteAheadLog:Replication:PartitionCount"] = "16",
        ["WriteAheadLog:Replication:Protocol:HeartbeatInterval"] = "00:00:00.080",
        ["WriteAheadLog:Replication:Protocol:LeaderTimeout"] = "00:00:02",
        ["WriteAheadLog:Replication:Protocol:EntryLogLayout"] = "PerReplicaFiles",
    };

    private static IHost Build(Dictionary<string, string?> settings, Action<ISiloBuilder>? configure)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        if (configure is null)
        {
            builder.UseOrleans();
        }
        else
        {
            builder.UseOrleans(configure);
        }

        return builder.Build();
    }
}
