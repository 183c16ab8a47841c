namespace Actors;

/// <summary>
/// Names a hooks class whose public methods the generated serializer and copier call around each instance:
/// <c>OnSerializing(T)</c>, <c>OnSerialized(T)</c>, <c>OnDeserializing(T)</c>, <c>OnDeserialized(T)</c> and
/// <c>OnCopied(T original, T copy)</c> (each optional). The hooks class needs a public parameterless constructor; one
/// instance per codec is reused, so keep it stateless.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
public sealed class SerializationCallbacksAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="hookType">The hooks class.</param>
    public SerializationCallbacksAttribute(Type hookType)
    {
        HookType = hookType;
    }

    /// <summary>The hooks class.</summary>
    public Type HookType { get; }
}
