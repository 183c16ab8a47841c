namespace Actors;

/// <summary>
/// Registers a class implementing <see cref="IConverter{TValue, TSurrogate}"/>: values of <c>TValue</c> (typically a
/// third-party type that cannot carry <see cref="GenerateSerializerAttribute"/>) are serialized and copied through the
/// surrogate struct <c>TSurrogate</c>, which must itself carry <see cref="GenerateSerializerAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
public sealed class RegisterConverterAttribute : Attribute
{
}
