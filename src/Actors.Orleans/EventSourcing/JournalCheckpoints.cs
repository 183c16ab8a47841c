using Actors.Orleans.Diagnostics;
using Actors.Orleans.Format;
using Actors.Orleans.Storage;
using Actors.Wal;
using Microsoft.Extensions.Logging;
using Orleans.EventSourcing;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// A journaled grain's checkpoints: where the newest one stands in the stream, how many event bytes came after it, whether
/// the next is due (<see cref="JournalSettings.Checkpoints"/>), and writing it.
/// </summary>
/// <remarks>Not thread-safe: its adaptor calls it from the grain's turns only.</remarks>
internal sealed class JournalCheckpoints
{
    private readonly JournalSettings _settings;
    private readonly ILogConsistencyProtocolServices _services;
    private readonly ulong _streamHash;

    public JournalCheckpoints(JournalSettings settings, ILogConsistencyProtocolServices services)
    {
        _settings = settings;
        _services = services;
        _streamHash = CheckpointSchedule.StableHash(settings.StreamId);
    }

    /// <summary>The stream version of the newest checkpoint (stream terms, like the engine's).</summary>
    public long Version { get; private set; }

    /// <summary>The bytes of the events after the newest checkpoint.</summary>
    public long BytesSince { get; private set; }

    /// <summary>A load found the newest checkpoint at <paramref name="version"/> (0: none).</summary>
    public void Found(long version) => Version = version;

    /// <summary>A load or refresh read, or an append stored, events of <paramref name="bytes"/> after the newest checkpoint.</summary>
    public void Added(long bytes) => BytesSince += bytes;

    /// <summary>A load read events of <paramref name="bytes"/> after the checkpoint it found: the count starts over from them.</summary>
    public void Replayed(long bytes) => BytesSince = bytes;

    /// <summary>A checkpoint stands at <paramref name="streamVersion"/> with no events after it (one was written, or the grain's log was cleared there).</summary>
    public void At(long streamVersion)
    {
        Version = streamVersion;
        BytesSince = 0;
    }

    /// <summary>Whether the schedule wants a checkpoint with the stream at <paramref name="streamVersion"/>.</summary>
    public bool IsDue(long streamVersion) => _settings.Checkpoints.IsDue(_streamHash, streamVersion, Version, BytesSince);

    /// <summary>
    /// Writes <paramref name="view"/> as the checkpoint at stream version <paramref name="origin"/> + <paramref name="version"/>.
    /// Skipped, with a warning, when <paramref name="viewMissesAnEvent"/>: the events stay the record then. A failure is
    /// logged and counted, never thrown: the events are durable, and a missing checkpoint only makes the next activation
    /// replay more of them.
    /// </summary>
    public async Task WriteAsync<TView>(TView view, long origin, int version, bool viewMissesAnEvent)
    {
        if (viewMissesAnEvent)
        {
            _services.Log(LogLevel.Warning, "checkpoint of {0} at version {1} skipped: the grain's state transition threw on an event, so the confirmed state is incomplete; the events stay the record and are replayed at the next activation", _settings.What, version);
            return;
        }

        try
        {
            long streamVersion = origin + version;
            byte[] snapshot = _settings.Codecs.Encode(LogValueKind.Snapshot, view, $"the confirmed state of {_settings.What}", _settings.StreamId, origin == 0 ? null : origin);
            await (await _settings.GetLogAsync().ConfigureAwait(false)).WriteCheckpointAsync(_settings.StreamId, streamVersion, snapshot).ConfigureAwait(false);
            At(streamVersion);
            WalProviderInstruments.CheckpointWritten(_settings.Provider);
        }
        catch (Exception ex) when (ex is WriteAheadLogProviderException or WalException)
        {
            WalProviderInstruments.CheckpointFailed(_settings.Provider);
            _services.Log(LogLevel.Warning, "checkpoint of {0} at version {1} failed; the events stay durable and are replayed at activation: {2}", _settings.What, version, ex.Message);
        }
    }
}
