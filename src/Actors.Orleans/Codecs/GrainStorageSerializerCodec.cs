using Orleans.Storage;

namespace Actors.Orleans.Codecs;

/// <summary>
/// Orleans's grain storage serializer seam (<see cref="IGrainStorageSerializer"/>): the provider's
/// <see cref="WalProviderOptions.GrainStorageSerializer"/>, else the one registered keyed by the provider's name, else the
/// silo's. The record stores the serializer's identity (<see cref="IdentityOf"/>) instead of a type name, and a record
/// written by another serializer is refused, never handed to this one.
/// </summary>
public sealed class GrainStorageSerializerCodec : IWalValueCodec
{
    private readonly IGrainStorageSerializer _serializer;

    /// <summary>Creates the codec over <paramref name="serializer"/>.</summary>
    public GrainStorageSerializerCodec(IGrainStorageSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _serializer = serializer;
        Identity = IdentityOf(serializer);
    }

    /// <inheritdoc />
    public WalCodec Id => WalCodec.GrainStorageSerializer;

    /// <summary>What the records written by this codec name as their writer: the serializer's type.</summary>
    public string Identity { get; }

    /// <summary>The identity a record written by <paramref name="serializer"/> carries: its type's full name.</summary>
    public static string IdentityOf(IGrainStorageSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        Type type = serializer.GetType();
        return type.FullName ?? type.Name;
    }

    /// <inheritdoc />
    /// <remarks><paramref name="typeName"/> is the serializer's <see cref="Identity"/>: the bytes are the serializer's business.</remarks>
    public byte[] Encode<T>(T value, out string typeName)
    {
        typeName = Identity;
        return _serializer.Serialize(value).ToArray();
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The record names another serializer than this codec's.</exception>
    public T Decode<T>(ReadOnlyMemory<byte> payload, string typeName)
    {
        if (!string.Equals(typeName, Identity, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"the record was written by the grain storage serializer '{typeName}' and this provider's is '{Identity}'; configure that serializer for this provider (GrainStorageSerializer or SerializerKey) to read it");
        }

        return _serializer.Deserialize<T>(new BinaryData(payload))!;
    }
}
