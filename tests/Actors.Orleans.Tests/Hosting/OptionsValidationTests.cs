using Actors.Wal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace Actors.Orleans.Tests.Hosting;

/// <summary>A bad setting stops the silo at start with a message naming it.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Directory")]
    [InlineData("SegmentSizeBytes")]
    [InlineData("CheckpointEveryWrites")]
    [InlineData("CheckpointEveryEvents")]
    [InlineData("Codec")]
    public async Task StartAsync_BadSetting_FailsNamingTheSetting(string setting)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        string directory = Path.Combine(Path.GetTempPath(), "actors-orleans-tests", Guid.NewGuid().ToString("N"));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            silo.AddWriteAheadLog(o =>
            {
                o.Directory = setting == "Directory" ? "" : directory;
                o.SegmentSizeBytes = setting == "SegmentSizeBytes" ? 1024 : o.SegmentSizeBytes;
            });
            silo.AddWriteAheadLogGrainStorage("store", o =>
            {
                o.CheckpointEveryWrites = setting == "CheckpointEveryWrites" ? 0 : o.CheckpointEveryWrites;
                o.Codec = setting == "Codec" ? (WalCodec)42 : o.Codec;
            });
            silo.AddWriteAheadLogLogConsistencyProvider("events", o => o.CheckpointEveryEvents = setting == "CheckpointEveryEvents" ? -5 : o.CheckpointEveryEvents);
        });
        using IHost host = builder.Build();
        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ProviderWithoutAddWriteAheadLog_FailsSayingDirectoryIsRequired()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddWriteAheadLogGrainStorageAsDefault());
        using IHost host = builder.Build();
        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("WriteAheadLog: Directory is required", error.Message, StringComparison.Ordinal);
    }
}
