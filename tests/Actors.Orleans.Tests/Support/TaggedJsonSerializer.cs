using System.Text;
using System.Text.Json;
using Orleans.Storage;

namespace Actors.Orleans.Tests.Support;

/// <summary>
/// A custom <see cref="IGrainStorageSerializer"/>: JSON behind a tag of its own, counting its calls, so a test sees that the
/// provider wrote and read through it (the bytes cannot come from any other serializer).
/// </summary>
public class TaggedJsonSerializer : IGrainStorageSerializer
{
    private static readonly byte[] Tag = Encoding.ASCII.GetBytes("TAGGED:");

    public int Serialized { get; private set; }

    public int Deserialized { get; private set; }

    public BinaryData Serialize<T>(T? input)
    {
        Serialized++;
        return new BinaryData([.. Tag, .. JsonSerializer.SerializeToUtf8Bytes(input)]);
    }

    public T? Deserialize<T>(BinaryData input)
    {
        Deserialized++;
        ReadOnlySpan<byte> bytes = input.ToMemory().Span;
        if (!bytes.StartsWith(Tag))
        {
            throw new InvalidOperationException("the bytes were not written by TaggedJsonSerializer");
        }

        return JsonSerializer.Deserialize<T>(bytes[Tag.Length..]);
    }
}

/// <summary>Another serializer type with the same bytes: records of <see cref="TaggedJsonSerializer"/> must not be read by it.</summary>
public sealed class OtherTaggedJsonSerializer : TaggedJsonSerializer;
