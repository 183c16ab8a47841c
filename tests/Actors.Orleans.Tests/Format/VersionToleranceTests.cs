using Actors.Orleans.Codecs;
using Actors.Orleans.Format;
using Actors.Orleans.Tests.Support;

namespace Actors.Orleans.Tests.Format;

/// <summary>Records written by an earlier build for an earlier shape of a type read back with today's shape (checked-in bytes).</summary>
public sealed class VersionToleranceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(WalCodec.Orleans)]
    [InlineData(WalCodec.SystemTextJson)]
    [InlineData(WalCodec.MessagePack)]
    public async Task Decode_RecordOfTheTypesPreviousShape_KeptFieldsReadRemovedIgnoredAddedDefault(WalCodec codec)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", $"profile-v1.{codec}.bin"));
        await using ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        var codecs = new ValueCodecs(harness.Services, new WriteAheadLogGrainStorageOptions(), compress: false);

        LogValueRecord record = ValueCodecs.Parse(bytes, "fixture", "fixture", 1);
        Assert.Equal(LogValueKind.State, record.Kind);
        Assert.Equal(codec, record.Codec);
        FixtureProfile profile = codecs.Decode<FixtureProfile>(record, "fixture", "fixture", 1);

        Assert.Equal("ada", profile.Name);
        Assert.Equal("countess", profile.Nickname);
        Assert.Equal("", profile.Email);
    }

    [Fact]
    public void TryRead_NewerFormatVersion_RefusedNamingTheVersions()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "profile-v1.Orleans.bin"));
        bytes[1] = 2;
        bytes[2] = 2;
        Assert.False(LogValueRecord.TryRead(bytes, out _, out string error));
        Assert.Contains("needs a reader of version 2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ToArray_TryRead_RoundTripsEveryField(bool compress)
    {
        byte[] payload = [.. Enumerable.Range(0, 500).Select(i => (byte)(i % 7))];
        var record = new LogValueRecord(LogValueKind.Event, WalCodec.MessagePack, "some.type", payload);
        Assert.True(LogValueRecord.TryRead(record.ToArray(compress), out LogValueRecord read, out string error), error);
        Assert.Equal((record.Kind, record.Codec, record.TypeName), (read.Kind, read.Codec, read.TypeName));
        Assert.Equal(payload, read.Payload.ToArray());
    }
}
