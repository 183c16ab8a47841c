using Microsoft.CodeAnalysis;

namespace Actors.CodeGenerator.Diagnostics;

/// <summary>The diagnostics of the Actors generator and analyzers (docs/serialization.md lists them).</summary>
internal static class Descriptors
{
    private const string Category = "Actors.Serialization";

    public static readonly DiagnosticDescriptor DuplicateId = new(
        "ACT1001",
        "Serialization id used twice",
        "'{0}' and '{1}' in '{2}' both have serialization id {3}. Give each serialized member of a type its own [Id(n)]: the id names the member on the wire.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotSerializable = new(
        "ACT1002",
        "Type cannot be serialized",
        "{0} has type '{1}', which cannot be serialized: {2}. Use a serializable type instead.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingGenerateSerializer = new(
        "ACT1003",
        "Type crossing a serialization boundary has no serializer",
        "{0} has type '{1}', which has no serializer. Add [GenerateSerializer] to '{1}' and [Id(n)] to its members, or register an IConverter with [RegisterConverter] " +
        "(a type deliberately carried as JSON with AddJsonSerializer: suppress ACT1003 here).",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InaccessibleType = new(
        "ACT1004",
        "Type with [GenerateSerializer] is not accessible to generated code",
        "'{0}' has [GenerateSerializer] but is private or protected; make it (and the types containing it) internal or public so its generated serializer can name it",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsettableMember = new(
        "ACT1005",
        "Serialized member cannot be read back",
        "'{0}' of '{1}' is serialized but cannot be set when reading: {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
