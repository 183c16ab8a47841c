namespace Actors.Serialization.Tests;

/// <summary>One serializer and copier for the tests (default settings: every generated manifest, no JSON fallback).</summary>
internal static class Wire
{
    public static readonly CodecProvider Provider = new SerializerBuilder().Build();

    public static readonly Serializer Serializer = new(Provider);

    public static readonly DeepCopier Copier = new(Provider);

    public static T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value));

    /// <summary>Writes the value into an <see cref="object"/> slot, so it carries its type, and reads it back.</summary>
    public static object? RoundTripAsObject(object? value) => Serializer.Deserialize<object>(Serializer.SerializeToArray<object?>(value));

    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
