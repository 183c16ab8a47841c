using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Actors.Orleans.Storage;
using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Actors.Wal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Actors.Orleans.Tests.Hosting;

/// <summary>
/// Configuration-based setup as Orleans's own providers have it: <c>Orleans:GrainStorage:Default:ProviderType =
/// "WriteAheadLog"</c> and the top-level <c>WriteAheadLog</c> section, with no provider code in the silo.
/// </summary>
public sealed class ConfigurationSetupTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task UseOrleans_ConfigurationAlone_StoresGrainStateOnTheLogAcrossARestart()
    {
        Dictionary<string, string?> settings = Settings();

        using (IHost first = Build(settings))
        {
            await first.StartAsync();
            Assert.IsType<WriteAheadLogGrainStorage>(first.Services.GetRequiredKeyedService<IGrainStorage>("Default"));
            SiloLogOptions log = first.Services.GetRequiredService<IOptions<SiloLogOptions>>().Value;
            Assert.Equal((_directory.Path, SyncPolicy.Interval, TimeSpan.FromMilliseconds(20)), (log.Directory, log.SyncPolicy, log.SyncInterval));
            Assert.Equal(RecordCompression.Brotli, log.Compression);
            Assert.Equal(["retired"], log.RetiredProviders);
            Assert.Equal(3, first.Services.GetRequiredService<IOptionsMonitor<WriteAheadLogGrainStorageOptions>>().Get("Default").CheckpointEveryWrites);
            IVisitGrain grain = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IVisitGrain>("config", grainClassNamePrefix: typeof(PlainVisitGrain).FullName);
            await grain.Visit();
            Assert.Equal(2, await grain.Visit());
            await first.StopAsync();
        }

        using IHost second = Build(settings);
        await second.StartAsync();
        Assert.Equal(2, await second.Services.GetRequiredService<IGrainFactory>().GetGrain<IVisitGrain>("config", grainClassNamePrefix: typeof(PlainVisitGrain).FullName).Visits());
        await second.StopAsync();
    }

    [Fact]
    public async Task UseOrleans_SerializerKeyInConfiguration_GrainStateRoundTripsThroughTheKeyedSerializer()
    {
        Dictionary<string, string?> settings = Settings();
        settings["Orleans:GrainStorage:Default:SerializerKey"] = "tagged";
        var serializer = new TaggedJsonSerializer();

        using (IHost first = Build(settings, serializer))
        {
            await first.StartAsync();
            Assert.Equal(1, await first.Services.GetRequiredService<IGrainFactory>().GetGrain<IVisitGrain>("serializer", grainClassNamePrefix: typeof(PlainVisitGrain).FullName).Visit());
            await first.StopAsync();
        }

        Assert.Equal(1, serializer.Serialized);
        using IHost second = Build(settings, serializer);
        await second.StartAsync();
        Assert.Equal(1, await second.Services.GetRequiredService<IGrainFactory>().GetGrain<IVisitGrain>("serializer", grainClassNamePrefix: typeof(PlainVisitGrain).FullName).Visits());
        Assert.Equal(1, serializer.Deserialized);
        await second.StopAsync();
    }

    private Dictionary<string, string?> Settings()
    {
        int siloPort = FreePort();
        return new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = "config-test",
            ["Orleans:ServiceId"] = "config-test",
            ["Orleans:Clustering:ProviderType"] = "Development",
            ["Orleans:Endpoints:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Orleans:Endpoints:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GrainStorage:Default:ProviderType"] = "WriteAheadLog",
            ["Orleans:GrainStorage:Default:CheckpointEveryWrites"] = "3",
            ["WriteAheadLog:Directory"] = _directory.Path,
            ["WriteAheadLog:SyncPolicy"] = "Interval",
            ["WriteAheadLog:SyncInterval"] = "00:00:00.020",
            ["WriteAheadLog:Compression"] = "Brotli",
            ["WriteAheadLog:RetiredProviders:0"] = "retired",
        };
    }

    private static IHost Build(Dictionary<string, string?> settings, IGrainStorageSerializer? tagged = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        if (tagged is not null)
        {
            builder.Services.AddKeyedSingleton("tagged", tagged);
        }

        builder.UseOrleans();
        return builder.Build();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
