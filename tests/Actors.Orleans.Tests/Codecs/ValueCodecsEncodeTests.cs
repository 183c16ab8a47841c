using Actors.Orleans.Codecs;
using Actors.Orleans.Format;
using Actors.Orleans.Tests.Grains;
using Actors.Orleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Actors.Orleans.Tests.Codecs;

/// <summary>
/// <see cref="ValueCodecs.Encode{T}"/> with Orleans's serializer writes the value through a reused per-thread buffer
/// (<see cref="EncodeBuffer"/>) instead of an array of its own: the records it makes are byte for byte the records framed
/// from the serializer's own array, and a buffer reused after a larger value carries none of its bytes into the next.
/// </summary>
public sealed class ValueCodecsEncodeTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly ValueCodecs _codecs;

    public ValueCodecsEncodeTests()
    {
        _services = TestSerializerServices.Create();
        _codecs = new ValueCodecs(_services, new WriteAheadLogGrainStorageOptions(), compress: false);
    }

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData(0, null)]
    [InlineData(100, null)]
    [InlineData(5_000, 42L)]
    public void Encode_OrleansCodec_SameBytesAsTheSerializersArrayFramed(int blobBytes, long? origin)
    {
        var value = new ProfileState { Name = "ada", Visits = 7, Blob = new Random(blobBytes).GetItems<byte>([1, 2, 3, 250], blobBytes) };
        byte[] expected = new LogValueRecord(LogValueKind.Snapshot, WalCodec.Orleans, "", _services.GetRequiredService<Serializer>().SerializeToArray(value)) { Origin = origin }.ToArray();

        byte[] encoded = _codecs.Encode(LogValueKind.Snapshot, value, "state 'p' of grain g/1", "s/test/p/g/1", origin);

        Assert.Equal(expected, encoded);
    }

    [Fact]
    public void Encode_LargerValueThenSmallerOnes_EachRecordDecodesToItsOwnValue()
    {
        var values = new[]
        {
            new ProfileState { Name = "large", Blob = new byte[EncodeBuffer.MaxKeptBytes * 2] },
            new ProfileState { Name = "middle", Blob = new byte[EncodeBuffer.MaxKeptBytes / 2] },
            new ProfileState { Name = "small", Visits = 1 },
            new ProfileState { Name = "", Visits = 2 },
        };
        values[0].Blob.AsSpan().Fill(0xAA);
        values[1].Blob.AsSpan().Fill(0xBB);

        foreach (ProfileState value in values)
        {
            byte[] record = _codecs.Encode(LogValueKind.State, value, "state 'p' of grain g/1", "s/test/p/g/1");
            ProfileState decoded = _codecs.Decode<ProfileState>(ValueCodecs.Parse(record, "state 'p' of grain g/1", "s/test/p/g/1", 1), "state 'p' of grain g/1", "s/test/p/g/1", 1);
            Assert.Equal((value.Name, value.Visits, value.Blob.Length), (decoded.Name, decoded.Visits, decoded.Blob.Length));
            Assert.Equal(value.Blob, decoded.Blob);
        }
    }
}
