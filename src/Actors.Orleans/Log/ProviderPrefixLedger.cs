using System.Text;
using Actors.Orleans.Storage;
using Actors.Wal;

namespace Actors.Orleans.Log;

/// <summary>
/// The log's own record of which providers' streams it may hold: one stream (<see cref="StreamId"/>) whose events are
/// the stream prefixes of every provider configured whenever the log opened. Stream ids name their provider, so a
/// provider renamed or removed leaves its grains' streams where no provider reads them; the ledger is how the silo
/// notices at open instead of serving those grains as never written.
/// </summary>
/// <remarks>
/// A log written before the ledger existed starts it at its first open with this version: prefixes whose provider was
/// already gone by then are not known to it.
/// </remarks>
internal static class ProviderPrefixLedger
{
    /// <summary>The ledger's stream. No provider prefix (<c>s/</c>, <c>j/</c>, ...) starts it.</summary>
    public const string StreamId = "meta/provider-prefixes";

    /// <summary>
    /// Checks the recorded prefixes against <paramref name="configured"/>.
    /// </summary>
    /// <param name="log">The open log.</param>
    /// <param name="directory">The log's directory (for the error).</param>
    /// <param name="configured">The stream prefixes of the providers this silo configures.</param>
    /// <param name="retired">Provider names whose recorded prefixes stay unread on purpose (<see cref="SiloLogOptions.RetiredProviders"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The configured prefixes the ledger lacks, and the ledger's version (for <see cref="RecordAsync"/>).</returns>
    /// <exception cref="UnconfiguredProviderDataException">A recorded prefix is neither configured nor retired.</exception>
    /// <exception cref="InvalidDataException">The ledger holds an event that is not a prefix (the silo's log then does not open).</exception>
    public static async Task<(IReadOnlyList<string> Missing, long Version)> CheckAsync(
        IEventLog log, string directory, IReadOnlyCollection<string> configured, IEnumerable<string> retired, CancellationToken cancellationToken)
    {
        StreamReadResult ledger = await log.ReadStreamAsync(StreamId, ReadBound.Latest, cancellationToken).ConfigureAwait(false);
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        foreach (StoredEvent stored in ledger.Events)
        {
            recorded.Add(Decode(stored));
        }

        string[] retiredNames = [.. retired];
        List<string> unconfigured = [.. recorded
            .Where(p => !configured.Contains(p) && !retiredNames.Any(name => GrainStreamNames.IsPrefixOf(p, name)))
            .Order(StringComparer.Ordinal)];
        if (unconfigured.Count > 0)
        {
            throw new UnconfiguredProviderDataException(directory, unconfigured, [.. configured.Order(StringComparer.Ordinal)]);
        }

        return ([.. configured.Where(p => !recorded.Contains(p)).Order(StringComparer.Ordinal)], ledger.Version);
    }

    /// <summary>Records <paramref name="missing"/> (from <see cref="CheckAsync"/>) in one append, conditional on the ledger's version then.</summary>
    public static async Task RecordAsync(IEventLog log, IReadOnlyList<string> missing, long version, CancellationToken cancellationToken)
    {
        // Conditional: one silo owns the log, so a conflict means the log changed under it.
        ReadOnlyMemory<byte>[] events = [.. missing.Select(p => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(p))];
        await log.AppendAsync(StreamId, version, events, cancellationToken).ConfigureAwait(false);
    }

    private static string Decode(StoredEvent stored)
    {
        try
        {
            string prefix = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(stored.Payload.Span);
            return prefix.Length > 2 && prefix.EndsWith('/')
                ? prefix
                : throw new FormatException($"'{prefix}' is not a provider prefix (kind/name/)");
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            throw new InvalidDataException($"The provider ledger of the write-ahead log (stream '{StreamId}', version {stored.Version}) holds an unreadable entry: {ex.Message}", ex);
        }
    }
}
