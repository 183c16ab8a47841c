namespace Actors;

/// <summary>
/// Registers a hand-written deep copier: a class implementing <c>Actors.Serialization.Cloning.IDeepCopier&lt;T&gt;</c>
/// with a public parameterless constructor or one taking an <c>Actors.Serialization.ICodecProvider</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
public sealed class RegisterCopierAttribute : Attribute
{
}
