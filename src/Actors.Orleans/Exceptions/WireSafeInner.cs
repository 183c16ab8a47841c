namespace Actors.Orleans;

/// <summary>
/// Keeps an inner exception on a provider error only when Orleans can send it to the caller
/// (<see cref="ProviderExceptionTypes.CrossesGrainCalls"/>): Orleans fails the whole response for an exception of any
/// other type. Another inner exception is left out; the provider's message already names its type and message.
/// </summary>
internal static class WireSafeInner
{
    /// <summary><paramref name="inner"/> when Orleans can send it and every exception inside it, else null.</summary>
    public static Exception? Of(Exception? inner)
    {
        for (Exception? current = inner; current is not null; current = current.InnerException)
        {
            if (!ProviderExceptionTypes.CrossesGrainCalls(current.GetType()))
            {
                return null;
            }
        }

        return inner;
    }
}
