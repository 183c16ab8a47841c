namespace Actors.Orleans.Tests.Grains;

/// <summary>No [GenerateSerializer]: Orleans's serializer has no codec for it.</summary>
public sealed class Unserializable
{
    public IntPtr Handle { get; set; }
}
