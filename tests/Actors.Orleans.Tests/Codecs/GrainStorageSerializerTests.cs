using Actors.Orleans.Codecs;
using Actors.Orleans.Format;
using Actors.Orleans.Storage;
using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Actors.Wal;
using Orleans.Runtime;

namespace Actors.Orleans.Tests.Codecs;

/// <summary>Orleans's <c>IGrainStorageSerializer</c> seam: the provider writes and reads through it, and records remember which serializer wrote them.</summary>
public sealed class GrainStorageSerializerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static GrainId Grain(string key) => GrainId.Create("profile", key);

    [Fact]
    public async Task WriteStateAsync_CustomSerializer_RoundTripsThroughItAndNamesItInTheRecord()
    {
        var serializer = new TaggedJsonSerializer();
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, new WriteAheadLogGrainStorageOptions { GrainStorageSerializer = serializer });
        await harness.Storage.WriteStateAsync("profile", Grain("a"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "ada", Visits = 3 } });
        Assert.Equal(1, serializer.Serialized);
        IReadOnlyList<StoredEvent> stored = await harness.EventLog.ReadEventsAsync(GrainStreamNames.State("test", "profile", Grain("a")), 1, 1);
        Assert.True(LogValueRecord.TryRead(stored[0].Payload, out LogValueRecord record, out string error), error);
        Assert.Equal(WalCodec.GrainStorageSerializer, record.Codec);
        Assert.Equal(typeof(TaggedJsonSerializer).FullName, record.TypeName);

        await using ProviderHarness reopened = await harness.ReopenAsync();
        var read = new TestGrainState<ProfileState>();
        await reopened.Storage.ReadStateAsync("profile", Grain("a"), read);
        Assert.Equal(("ada", 3), (read.State.Name, read.State.Visits));
        Assert.Equal(1, serializer.Deserialized);
    }

    [Fact]
    public async Task ReadStateAsync_RecordOfAnotherSerializer_ThrowsTypedErrorNamingBothAndDoesNotCallTheNewOne()
    {
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path, new WriteAheadLogGrainStorageOptions { GrainStorageSerializer = new TaggedJsonSerializer() });
        await harness.Storage.WriteStateAsync("profile", Grain("a"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "ada" } });

        var other = new OtherTaggedJsonSerializer();
        await using ProviderHarness reopened = await harness.ReopenAsync(new WriteAheadLogGrainStorageOptions { GrainStorageSerializer = other });
        var read = new TestGrainState<ProfileState>();
        ValueDeserializationException error = await Assert.ThrowsAsync<ValueDeserializationException>(() => reopened.Storage.ReadStateAsync("profile", Grain("a"), read));
        Assert.Equal(WalCodec.GrainStorageSerializer, error.Codec);
        Assert.Contains(typeof(TaggedJsonSerializer).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(OtherTaggedJsonSerializer).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, other.Deserialized);
        Assert.Null(read.State);
    }

    [Fact]
    public async Task ReadStateAsync_SerializerSetAfterOrleansCodecRecords_ReadsOldRecordsWithTheirCodecAndWritesNewOnesWithIt()
    {
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        await harness.Storage.WriteStateAsync("profile", Grain("a"), new TestGrainState<ProfileState> { State = new ProfileState { Name = "old", Visits = 1 } });

        var serializer = new TaggedJsonSerializer();
        await using ProviderHarness reopened = await harness.ReopenAsync(new WriteAheadLogGrainStorageOptions { GrainStorageSerializer = serializer });
        var read = new TestGrainState<ProfileState>();
        await reopened.Storage.ReadStateAsync("profile", Grain("a"), read);
        Assert.Equal(("old", 1), (read.State.Name, read.State.Visits));
        Assert.Equal(0, serializer.Deserialized);

        read.State.Visits = 2;
        await reopened.Storage.WriteStateAsync("profile", Grain("a"), read);
        Assert.Equal(1, serializer.Serialized);
    }
}
