namespace Actors.CodeGenerator.Model;

/// <summary>What a hand-written registration is.</summary>
internal enum RegistrationKind
{
    /// <summary>[RegisterConverter]: an IConverter&lt;TValue, TSurrogate&gt;.</summary>
    Converter,

    /// <summary>[RegisterSerializer]: an IFieldCodec&lt;T&gt;.</summary>
    Serializer,

    /// <summary>[RegisterCopier]: an IDeepCopier&lt;T&gt;.</summary>
    Copier,
}

/// <summary>A hand-written converter, codec or copier the manifest registers.</summary>
/// <param name="Kind">The registration kind.</param>
/// <param name="Implementation">The implementing class, fully qualified.</param>
/// <param name="Target">The type it serves, fully qualified.</param>
/// <param name="Surrogate">For converters: the surrogate type.</param>
/// <param name="TakesProvider">The implementation's constructor takes an ICodecProvider.</param>
internal sealed record RegistrationModel(RegistrationKind Kind, string Implementation, string Target, string? Surrogate, bool TakesProvider);
