using Microsoft.CodeAnalysis;

namespace Actors.CodeGenerator.Analysis;

/// <summary>The attribute and interface symbols the generator and analyzers look for, resolved once per compilation.</summary>
internal sealed class KnownSymbols
{
    public const string GenerateSerializerName = "Actors.GenerateSerializerAttribute";
    public const string RegisterConverterName = "Actors.RegisterConverterAttribute";
    public const string RegisterSerializerName = "Actors.RegisterSerializerAttribute";
    public const string RegisterCopierName = "Actors.RegisterCopierAttribute";

    private KnownSymbols(Compilation compilation)
    {
        GenerateSerializer = compilation.GetTypeByMetadataName(GenerateSerializerName);
        Id = compilation.GetTypeByMetadataName("Actors.IdAttribute");
        Alias = compilation.GetTypeByMetadataName("Actors.AliasAttribute");
        Immutable = compilation.GetTypeByMetadataName("Actors.ImmutableAttribute");
        RegisterConverter = compilation.GetTypeByMetadataName(RegisterConverterName);
        RegisterSerializer = compilation.GetTypeByMetadataName(RegisterSerializerName);
        RegisterCopier = compilation.GetTypeByMetadataName(RegisterCopierName);
        NonSerialized = compilation.GetTypeByMetadataName("System.NonSerializedAttribute");
        SerializationCallbacks = compilation.GetTypeByMetadataName("Actors.SerializationCallbacksAttribute");
        Grain = compilation.GetTypeByMetadataName("Actors.IGrain");
        Converter = compilation.GetTypeByMetadataName("Actors.IConverter`2");
        FieldCodec = compilation.GetTypeByMetadataName("Actors.Serialization.Codecs.IFieldCodec`1");
        DeepCopier = compilation.GetTypeByMetadataName("Actors.Serialization.Cloning.IDeepCopier`1");
        CodecProvider = compilation.GetTypeByMetadataName("Actors.Serialization.ICodecProvider");
        RegisteredCodecFor = compilation.GetTypeByMetadataName("Actors.Serialization.RegisteredCodecForAttribute");
        Exception = compilation.GetTypeByMetadataName("System.Exception");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
    }

    public INamedTypeSymbol? GenerateSerializer { get; }

    public INamedTypeSymbol? Id { get; }

    public INamedTypeSymbol? Alias { get; }

    public INamedTypeSymbol? Immutable { get; }

    public INamedTypeSymbol? RegisterConverter { get; }

    public INamedTypeSymbol? RegisterSerializer { get; }

    public INamedTypeSymbol? RegisterCopier { get; }

    public INamedTypeSymbol? NonSerialized { get; }

    public INamedTypeSymbol? SerializationCallbacks { get; }

    public INamedTypeSymbol? Grain { get; }

    public INamedTypeSymbol? Converter { get; }

    public INamedTypeSymbol? FieldCodec { get; }

    public INamedTypeSymbol? DeepCopier { get; }

    public INamedTypeSymbol? CodecProvider { get; }

    public INamedTypeSymbol? RegisteredCodecFor { get; }

    public INamedTypeSymbol? Exception { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public static KnownSymbols For(Compilation compilation) => new(compilation);

    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute) => GetAttribute(symbol, attribute) is not null;

    public static AttributeData? GetAttribute(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
        {
            return null;
        }

        foreach (AttributeData data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return data;
            }
        }

        return null;
    }

    public bool IsException(ITypeSymbol type)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, Exception))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsGrainInterface(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Interface && Grain is not null
        && (SymbolEqualityComparer.Default.Equals(type, Grain) || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, Grain)));
}
