using System.Reflection;
using Actors.Wal;

namespace Actors.Orleans;

/// <summary>
/// The exception types the providers let cross a grain call: those of the provider's and the engine's assemblies, and
/// those Orleans sends by default (namespaces <c>System</c>, <c>Microsoft</c>, <c>Azure</c>, <c>Orleans</c>).
/// </summary>
/// <remarks>
/// <para>The providers' errors carry no <c>[GenerateSerializer]</c>: a generated codec writes the exception as its own type,
/// and a client without the provider's assembly (every client that references only grain interfaces) then fails the
/// whole response with a <see cref="TypeLoadException"/>. Orleans's exception codec instead writes the type's name, the
/// message, the stack trace, the inner exception and <see cref="Exception.Data"/>; a receiver that cannot load the type
/// gets Orleans's <c>UnavailableExceptionFallbackException</c> naming it, with the same message and data
/// (<see cref="ExceptionFacts"/>), and one that can (a silo) gets the type back.</para>
/// <para><c>AddSiloLog</c> adds <see cref="IsProviderType"/> to the silo's <c>ExceptionSerializationOptions.SupportedExceptionTypeFilter</c>
/// (keeping any filter set before): only these assemblies' exceptions, no namespace prefix; and it names them on the wire
/// without their assembly (<see cref="ProviderExceptionTypeConverter"/>), so that a receiver without the assembly gets the
/// fallback rather than a <see cref="TypeLoadException"/>.</para>
/// </remarks>
internal static class ProviderExceptionTypes
{
    private static readonly Assembly[] Assemblies =
    [
        typeof(WriteAheadLogProviderException).Assembly, // Actors.Orleans
        typeof(WalException).Assembly, // Actors.Wal.Files: the engine's root error and its I/O errors
        typeof(LogReadOnlyException).Assembly, // Actors.Wal: the engine's other errors
    ];

    private static readonly string[] OrleansDefaultPrefixes = ["System", "Microsoft", "Azure", "Orleans"];

    /// <summary>Every concrete, non-generic exception type of those assemblies.</summary>
    public static IEnumerable<Type> All => Assemblies
        .SelectMany(a => a.GetTypes())
        .Where(t => typeof(Exception).IsAssignableFrom(t) && !t.IsAbstract && !t.IsGenericTypeDefinition && t.FullName is not null);

    /// <summary>True for an exception type declared in the provider's or the engine's assemblies.</summary>
    public static bool IsProviderType(Type type) =>
        typeof(Exception).IsAssignableFrom(type) && Array.IndexOf(Assemblies, type.Assembly) >= 0;

    /// <summary>
    /// True when Orleans's exception codec sends <paramref name="type"/> from a silo with the providers (a provider
    /// type, or one of the namespaces Orleans sends by default), so a receiver reads it or its fallback.
    /// </summary>
    public static bool CrossesGrainCalls(Type type) =>
        type != typeof(AggregateException)
        && (IsProviderType(type) || OrleansDefaultPrefixes.Any(p => type.Namespace?.StartsWith(p, StringComparison.Ordinal) == true));
}
