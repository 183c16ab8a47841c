namespace Actors.Streams.Storage;

/// <summary>A decoded queue record.</summary>
/// <param name="Kind">What it holds.</param>
/// <param name="TypeName">An item's type (<c>FullName, AssemblyName</c>), or an error's exception type; empty for a completion.</param>
/// <param name="Payload">An item's serialized value, or an error's UTF-8 message.</param>
[GenerateSerializer, Immutable]
internal sealed record StreamRecord([property: Id(0)] StreamRecordKind Kind, [property: Id(1)] string TypeName, [property: Id(2)] ReadOnlyMemory<byte> Payload);
