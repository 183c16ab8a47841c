namespace Actors.Persistence.Wal;

/// <summary>An event turned into bytes by an <see cref="IWalCodec"/>: its stable type name and its payload.</summary>
/// <param name="TypeName">The stable type name (from <see cref="EventTypeAttribute"/>).</param>
/// <param name="Payload">The serialized event.</param>
public readonly record struct EncodedEvent(string TypeName, ReadOnlyMemory<byte> Payload);
