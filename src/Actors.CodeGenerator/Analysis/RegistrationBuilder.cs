using Actors.CodeGenerator.Model;
using Microsoft.CodeAnalysis;

namespace Actors.CodeGenerator.Analysis;

/// <summary>Turns [RegisterConverter], [RegisterSerializer] and [RegisterCopier] classes into <see cref="RegistrationModel"/>s.</summary>
internal static class RegistrationBuilder
{
    public static IEnumerable<RegistrationModel> Build(INamedTypeSymbol type, RegistrationKind kind, KnownSymbols known)
    {
        if (type.IsAbstract || type.IsGenericType)
        {
            yield break;
        }

        INamedTypeSymbol? contract = kind switch
        {
            RegistrationKind.Converter => known.Converter,
            RegistrationKind.Serializer => known.FieldCodec,
            _ => known.DeepCopier,
        };
        bool takesProvider = type.InstanceConstructors.Any(c => c.Parameters.Length == 1
            && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, known.CodecProvider));
        foreach (INamedTypeSymbol implemented in type.AllInterfaces)
        {
            if (!SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, contract))
            {
                continue;
            }

            yield return new RegistrationModel(
                kind,
                TypeNames.Code(type),
                TypeNames.Code(implemented.TypeArguments[0]),
                kind == RegistrationKind.Converter ? TypeNames.Code(implemented.TypeArguments[1]) : null,
                takesProvider);
        }
    }
}
