using Actors.Wal;

namespace Actors.Orleans.Log;

/// <summary>
/// Finds a grain's data under another configured provider of the same kind: a grain class moved from one provider to
/// another (for example from <c>[WriteAheadLog]</c> to the silo's default) reads nothing under its new provider while
/// its data stays under the old one. The providers ask this only when their own stream holds nothing, so a grain that
/// was stored is never served as never written.
/// </summary>
internal static class OtherProviderStreams
{
    /// <summary>
    /// The stream of another configured provider of the same kind that holds the data <paramref name="streamId"/> would
    /// (the same id after the provider prefix), or null when none does.
    /// </summary>
    /// <param name="log">The open log.</param>
    /// <param name="configuredPrefixes">The stream prefixes of the silo's providers (<see cref="SiloLog.ProviderPrefixes"/>).</param>
    /// <param name="ownPrefix">The asking provider's prefix; <paramref name="streamId"/> starts with it.</param>
    /// <param name="streamId">The asking provider's stream, which holds nothing.</param>
    /// <param name="holdsData">
    /// Asked of another provider's stream that exists: false when what it stores reads as nothing (a cleared state, a
    /// cleared journal), so a grain cleared before its class moved starts empty under its new provider.
    /// </param>
    public static async ValueTask<string?> FindAsync(
        IEventLog log, IReadOnlyCollection<string> configuredPrefixes, string ownPrefix, string streamId, Func<string, ValueTask<bool>> holdsData)
    {
        if (configuredPrefixes.Count < 2)
        {
            return null;
        }

        string kind = ownPrefix[..(ownPrefix.IndexOf('/', StringComparison.Ordinal) + 1)];
        string rest = streamId[ownPrefix.Length..];
        foreach (string prefix in configuredPrefixes)
        {
            if (prefix != ownPrefix && prefix.StartsWith(kind, StringComparison.Ordinal))
            {
                string other = prefix + rest;
                StreamInfo info = log.GetStreamInfo(other);
                if (info.Version > 0 && !info.IsDeleted && await holdsData(other).ConfigureAwait(false))
                {
                    return other;
                }
            }
        }

        return null;
    }
}
