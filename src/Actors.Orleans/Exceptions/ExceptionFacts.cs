namespace Actors.Orleans;

/// <summary>
/// Keeps a provider error's facts (stream, version, outcome, ...) in its <see cref="Exception.Data"/>, as strings, numbers
/// and booleans only, which every Orleans client can read.
/// </summary>
/// <remarks>
/// Why: the providers' errors cross grain calls through Orleans's exception codec (<see cref="ProviderExceptionTypes"/>),
/// which carries the type name, message, stack trace, inner exception and <see cref="Exception.Data"/>, but no other
/// field. A silo that has the type rebuilds it with its facts (its properties read them back from the data); a client
/// without the provider's assembly gets Orleans's <c>UnavailableExceptionFallbackException</c> with the same data, so it can
/// still read, for example, <c>Data["OutcomeUnknown"]</c>.
/// </remarks>
internal static class ExceptionFacts
{
    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> (a string, number or boolean).</summary>
    public static void Set(Exception exception, string key, object value) => exception.Data[key] = value;

    /// <summary>The string stored under <paramref name="key"/>, or empty when there is none.</summary>
    public static string String(Exception exception, string key) => exception.Data[key] as string ?? "";

    /// <summary>The number stored under <paramref name="key"/>, or 0 when there is none.</summary>
    public static long Int64(Exception exception, string key) => exception.Data[key] is long value ? value : 0;

    /// <summary>The boolean stored under <paramref name="key"/>, or <paramref name="absent"/> when there is none.</summary>
    public static bool Boolean(Exception exception, string key, bool absent) => exception.Data[key] is bool value ? value : absent;
}
