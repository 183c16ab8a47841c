namespace Actors.Serialization;

/// <summary>
/// Emitted by the code generator for every type an assembly registers a converter or hand-written codec for, so the
/// analyzers of other assemblies know the type is serializable. Not used at run time.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class RegisteredCodecForAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public RegisteredCodecForAttribute(Type type)
    {
        Type = type;
    }

    /// <summary>The type that has a registered codec.</summary>
    public Type Type { get; }
}
