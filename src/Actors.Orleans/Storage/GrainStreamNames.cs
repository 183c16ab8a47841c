using Orleans.Runtime;

namespace Actors.Orleans.Storage;

/// <summary>
/// The log stream ids the providers use; each names its provider, so two providers never share a stream:
/// <list type="bullet">
/// <item><c>s/{provider}/{state name}/{grain id}</c>: one grain state of a grain storage provider;</item>
/// <item><c>j/{provider}/{grain id}</c>: the events of a journaled grain of a log-consistency provider.</item>
/// </list>
/// The provider and state names escape <c>%</c> as <c>%25</c> and <c>/</c> as <c>%2F</c>; the grain id is Orleans's
/// <c>type/key</c> form, last, so every id maps to one stream and back.
/// </summary>
public static class GrainStreamNames
{
    /// <summary>The prefix of every grain state stream, whichever provider wrote it.</summary>
    public const string AllStatesPrefix = "s/";

    /// <summary>The prefix of every state stream of grain storage provider <paramref name="provider"/>.</summary>
    public static string StatePrefix(string provider) => $"{AllStatesPrefix}{Escape(provider)}/";

    /// <summary>The prefix of every journal stream of log-consistency provider <paramref name="provider"/>.</summary>
    public static string JournalPrefix(string provider) => $"j/{Escape(provider)}/";

    /// <summary>The stream of one grain state.</summary>
    public static string State(string provider, string stateName, GrainId grainId) => StateUnder(StatePrefix(provider), stateName, grainId);

    /// <summary>The stream of one grain state, given its provider's <see cref="StatePrefix"/> (made once per provider).</summary>
    internal static string StateUnder(string statePrefix, string stateName, GrainId grainId) => $"{statePrefix}{Escape(stateName)}/{grainId}";

    /// <summary>The stream of one journaled grain's events.</summary>
    public static string Journal(string provider, GrainId grainId) => $"{JournalPrefix(provider)}{grainId}";

    /// <summary>The grain type of a journal stream id under <paramref name="prefix"/>, or null when it is not one.</summary>
    public static string? JournalGrainType(string streamId, string prefix)
    {
        if (!streamId.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        int end = streamId.IndexOf('/', prefix.Length);
        return end > prefix.Length ? streamId[prefix.Length..end] : null;
    }

    /// <summary>
    /// True when <paramref name="prefix"/> is a provider prefix (<c>{kind}/{provider}/</c>, as <see cref="StatePrefix"/> and
    /// <see cref="JournalPrefix"/> make) of the provider named <paramref name="provider"/>, of any kind.
    /// </summary>
    public static bool IsPrefixOf(string prefix, string provider)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(provider);
        int kindEnd = prefix.IndexOf('/', StringComparison.Ordinal);
        return kindEnd > 0 && prefix.AsSpan(kindEnd + 1).SequenceEqual($"{Escape(provider)}/");
    }

    /// <summary>The provider name of a provider prefix (<c>{kind}/{provider}/</c>), unescaped; the prefix itself when it is not one.</summary>
    public static string ProviderOf(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        int kindEnd = prefix.IndexOf('/', StringComparison.Ordinal);
        if (kindEnd <= 0 || !prefix.EndsWith('/') || prefix.Length < kindEnd + 3)
        {
            return prefix;
        }

        return Unescape(prefix[(kindEnd + 1)..^1]);
    }

    /// <summary>Undoes the escaping of a provider or state name (<c>%25</c> to <c>%</c>, <c>%2F</c> to <c>/</c>).</summary>
    internal static string Unescape(string escaped)
    {
        var name = new System.Text.StringBuilder(escaped.Length);
        for (int i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '%' && string.CompareOrdinal(escaped, i, "%25", 0, 3) == 0)
            {
                name.Append('%');
                i += 2;
            }
            else if (escaped[i] == '%' && string.CompareOrdinal(escaped, i, "%2F", 0, 3) == 0)
            {
                name.Append('/');
                i += 2;
            }
            else
            {
                name.Append(escaped[i]);
            }
        }

        return name.ToString();
    }

    private static string Escape(string name) => name.Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal);
}
