namespace Actors.Orleans;

/// <summary>The serializer that turns grain states and events into bytes; every record says which one wrote it.</summary>
/// <remarks>
/// A provider writes with the codec its options name and reads every record with the codec that record names, so a
/// provider may switch codecs at any time: old records stay readable as long as their types still deserialize.
/// </remarks>
public enum WalCodec : byte
{
    /// <summary>No codec: the record holds no value (a cleared state).</summary>
    None = 0,

    /// <summary>Orleans's own serializer (<c>[GenerateSerializer]</c>, <c>[Id]</c>): the default, version-tolerant as Orleans defines it.</summary>
    Orleans = 1,

    /// <summary>System.Text.Json, with the provider's <c>JsonSerializerOptions</c>; the record stores the value's type name.</summary>
    SystemTextJson = 2,

    /// <summary>MessagePack, with the provider's <c>MessagePackSerializerOptions</c>; the record stores the value's type name.</summary>
    MessagePack = 3,

    /// <summary>
    /// Orleans's <c>IGrainStorageSerializer</c> seam (the provider's <c>GrainStorageSerializer</c>, else the one keyed by the
    /// provider's name, else the silo's); the record stores the serializer's type name and is read only by that serializer.
    /// </summary>
    GrainStorageSerializer = 4,
}
