namespace Actors.Orleans;

/// <summary>
/// Keeps an inner exception on a provider error only when Orleans can send it to the caller: Orleans serializes
/// exceptions of the namespaces its <c>ExceptionSerializationOptions</c> support (Microsoft, System, Azure, and the
/// Actors and MessagePack prefixes <c>AddWriteAheadLog</c> adds) and fails the whole response for any other. Another
/// inner exception is left out; the provider's message already names its type and message.
/// </summary>
internal static class WireSafeInner
{
    private static readonly string[] Prefixes = ["System", "Microsoft", "Azure", "Orleans", "Actors", "MessagePack"];

    /// <summary><paramref name="inner"/> when Orleans can serialize it and every exception inside it, else null.</summary>
    public static Exception? Of(Exception? inner)
    {
        for (Exception? current = inner; current is not null; current = current.InnerException)
        {
            if (current is AggregateException || !Prefixes.Any(p => current.GetType().Namespace?.StartsWith(p, StringComparison.Ordinal) == true))
            {
                return null;
            }
        }

        return inner;
    }
}
