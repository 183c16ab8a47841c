namespace Actors;

/// <summary>
/// Registers a hand-written codec: a class implementing <c>Actors.Serialization.Codecs.IFieldCodec&lt;T&gt;</c> with a
/// public parameterless constructor or one taking an <c>Actors.Serialization.ICodecProvider</c>. It takes precedence
/// over every built-in codec for <c>T</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
public sealed class RegisterSerializerAttribute : Attribute
{
}
