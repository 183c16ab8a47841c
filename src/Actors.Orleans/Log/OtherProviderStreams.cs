using Actors.Orleans.Codecs;
using Actors.Orleans.Format;
using Actors.Orleans.Storage;
using Actors.Wal;
using Orleans.Runtime;

namespace Actors.Orleans.Log;

/// <summary>
/// Finds a grain's data under another configured provider of the same kind: a grain class moved from one provider to
/// another (for example from <c>[WriteAheadLog]</c> to the silo's default) reads nothing under its new provider while
/// its data stays under the old one. The providers ask this when their own stream holds nothing (never written, or
/// cleared: a class moved away after a clear and back after writes elsewhere), so such a grain is not served as never
/// written.
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
    /// <param name="streamId">The asking provider's stream, which holds nothing (never written, or cleared).</param>
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
                if (await HoldsDataAsync(log, other, holdsData).ConfigureAwait(false))
                {
                    return other;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The state stream (<c>s/{provider}/{state name}/{grain id}</c>) of any configured grain storage provider on the log
    /// that holds <paramref name="grainId"/>'s state <paramref name="stateName"/> (a state, not a cleared one), or null:
    /// asked when a provider that is not on the log (the default the attribute routing falls back to) found nothing for a
    /// grain whose class may have left the log. Journals are not looked at: a class without the attribute may keep its
    /// events on the log through an explicitly named log-consistency provider while its states are elsewhere.
    /// </summary>
    public static async ValueTask<string?> FindStateForGrainAsync(IEventLog log, IReadOnlyCollection<string> configuredPrefixes, string stateName, GrainId grainId, string what)
    {
        foreach (string prefix in configuredPrefixes)
        {
            string provider = GrainStreamNames.ProviderOf(prefix);
            if (prefix != GrainStreamNames.StatePrefix(provider))
            {
                continue;
            }

            string candidate = GrainStreamNames.State(provider, stateName, grainId);
            if (await HoldsDataAsync(log, candidate, other => StateHoldsDataAsync(log, other, what)).ConfigureAwait(false))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// True when stream <paramref name="streamId"/> can exist (its id is not too long), exists, is not deleted and
    /// <paramref name="holdsData"/> says what it stores is data.
    /// </summary>
    private static async ValueTask<bool> HoldsDataAsync(IEventLog log, string streamId, Func<string, ValueTask<bool>> holdsData)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(streamId) > StreamId.MaxByteLength)
        {
            return false; // no stream can have that id
        }

        StreamInfo info = log.GetStreamInfo(streamId);
        return info.Version > 0 && !info.IsDeleted && await holdsData(streamId).ConfigureAwait(false);
    }

    /// <summary>True when the newest record of state stream <paramref name="streamId"/> is a state, not a cleared state.</summary>
    public static async ValueTask<bool> StateHoldsDataAsync(IEventLog log, string streamId, string what)
    {
        (ReadOnlyMemory<byte> bytes, long version) = await WriteAheadLogGrainStorage.ReadNewestAsync(log, streamId, log.GetStreamInfo(streamId), what).ConfigureAwait(false);
        return ValueCodecs.Parse(bytes, what, streamId, version).Kind != LogValueKind.ClearedState;
    }

    /// <summary>True when journal stream <paramref name="streamId"/> holds events or a snapshot, not only a cleared journal's reset.</summary>
    public static async ValueTask<bool> JournalHoldsDataAsync(IEventLog log, string streamId, string what)
    {
        StreamReadResult stream = await log.ReadStreamAsync(streamId).ConfigureAwait(false);
        return stream.Events.Count > 0
            || (stream.Checkpoint is { } checkpoint && ValueCodecs.Parse(checkpoint.State, what, streamId, checkpoint.Version).Kind != LogValueKind.JournalReset);
    }
}
