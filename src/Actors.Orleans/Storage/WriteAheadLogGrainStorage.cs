using System.Globalization;
using Actors.Orleans.Codecs;
using Actors.Orleans.Diagnostics;
using Actors.Orleans.Format;
using Actors.Orleans.Log;
using Actors.Wal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Actors.Orleans.Storage;

/// <summary>
/// Orleans grain storage on the silo's write-ahead log: each grain state is its own stream
/// (<see cref="GrainStreamNames.State"/>), a write appends the whole state, the ETag is the stream version.
/// </summary>
/// <remarks>
/// <para>Writes are conditional: a state whose ETag is not the stream's version throws
/// <see cref="InconsistentStateException"/> (stored and current ETags in it) and stores nothing. A write completes when
/// the log's sync policy says it is durable (an fsync under <see cref="SyncPolicy.Always"/>).</para>
/// <para>A clear appends a cleared-state record, stores it as the stream's checkpoint and erases every older record, so
/// nothing of the old value is readable afterwards and its bytes leave the files at the next compaction.</para>
/// <para>Errors are typed: <see cref="ValueSerializationException"/> (nothing stored), <see cref="ValueDeserializationException"/>
/// (activation fails; nothing defaulted), <see cref="WriteAheadLogOperationException"/>, <see cref="WriteAheadLogUnavailableException"/>.</para>
/// </remarks>
public sealed partial class WriteAheadLogGrainStorage : IGrainStorage
{
    private readonly string _name;
    private readonly StateStreamIds _streamIds;
    private readonly WriteAheadLogGrainStorageOptions _options;
    private readonly SiloLog _log;
    private readonly IGrainLogResolver _logs;
    private readonly ValueCodecs _codecs;
    private readonly IActivatorProvider _activators;
    private readonly ILogger _logger;
    private bool _checkpointMissed; // a checkpoint failed: from then on every write looks its stream's checkpoint up

    /// <summary>Creates the provider named <paramref name="name"/> on the silo's log (each grain's streams in the log the
    /// silo's <see cref="IGrainLogResolver"/> gives: the silo's one log unless replication is configured).</summary>
    public WriteAheadLogGrainStorage(string name, WriteAheadLogGrainStorageOptions options, SiloLog log, IServiceProvider services, ILogger<WriteAheadLogGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(logger);
        _name = name;
        _streamIds = new StateStreamIds(GrainStreamNames.StatePrefix(name));
        _options = options;
        _log = log;
        _logs = services.GetService<IGrainLogResolver>() ?? new SiloGrainLogResolver(log);
        _codecs = new ValueCodecs(services, options, log.Compress, name);
        _activators = services.GetRequiredService<IActivatorProvider>();
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        string streamId = _streamIds.Get(stateName, grainId);
        string what = What(stateName, grainId);
        IEventLog log = await _logs.GetLogAsync(grainId).ConfigureAwait(false);
        try
        {
            StreamInfo info = log.GetStreamInfo(streamId);
            if (info.Version == 0)
            {
                await RefuseIfStoredElsewhereAsync(log, streamId, what).ConfigureAwait(false);
                grainState.State = GrainStates.CreateDefault<T>(_activators);
                grainState.ETag = null;
                grainState.RecordExists = false;
                return;
            }

            (ReadOnlyMemory<byte> bytes, long version) = await ReadNewestAsync(log, streamId, info, what).ConfigureAwait(false);
            LogValueRecord record = ValueCodecs.Parse(bytes, what, streamId, version);
            switch (record.Kind)
            {
                case LogValueKind.State:
                    grainState.State = _codecs.Decode<T>(record, what, streamId, version);
                    grainState.RecordExists = true;
                    break;
                case LogValueKind.ClearedState:
                    await RefuseIfStoredElsewhereAsync(log, streamId, what).ConfigureAwait(false);
                    grainState.State = GrainStates.CreateDefault<T>(_activators);
                    grainState.RecordExists = false;
                    break;
                default:
                    throw new ValueDeserializationException(what, streamId, version, typeof(T).FullName ?? typeof(T).Name, record.Codec, $"a state stream holds a record of kind {record.Kind}", null);
            }

            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
            WalProviderInstruments.StateRead(_name);
        }
        catch (Exception ex) when (LogErrors.Translate(ex, $"Reading {what}", streamId, reading: true) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        string streamId = _streamIds.Get(stateName, grainId);

        // The description of the state (What) is built only where an error needs it: formatting the grain id on every
        // write cost the hot path an allocation and a format per call.
        long expected = ExpectedVersion(grainState.ETag, stateName, grainId);
        if (!_codecs.TryEncode(LogValueKind.State, grainState.State, out byte[] record, out Exception? failure))
        {
            throw new ValueSerializationException(What(stateName, grainId), streamId, grainState.State?.GetType() ?? typeof(T), _codecs.WriteCodec, failure!);
        }

        IEventLog log = await _logs.GetLogAsync(grainId).ConfigureAwait(false);
        AppendResult appended;
        try
        {
            // Awaited here, not in a helper of its own: a second async method per write was a second state machine box,
            // task and continuation run on every write's completion.
            appended = await log.AppendAsync(streamId, expected, [record]).ConfigureAwait(false);
        }
        catch (Exception ex) when (AppendFailure(ex, streamId, stateName, grainId, grainState.ETag) is { } translated)
        {
            throw translated;
        }

        grainState.ETag = appended.LastVersion.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        WalProviderInstruments.StateWritten(_name, record.Length);

        await MaybeCheckpointAsync(log, streamId, appended.LastVersion, record, stateName, grainId).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        string streamId = _streamIds.Get(stateName, grainId);
        long expected = ExpectedVersion(grainState.ETag, stateName, grainId);
        byte[] cleared = ValueCodecs.ClearedState();
        IEventLog log = await _logs.GetLogAsync(grainId).ConfigureAwait(false);
        AppendResult appended = await AppendAsync(log, streamId, expected, cleared, stateName, grainId, grainState.ETag).ConfigureAwait(false);

        // The cleared record is stored: from here on the state is cleared, whatever happens to the erasure below.
        grainState.State = GrainStates.CreateDefault<T>(_activators);
        grainState.ETag = appended.LastVersion.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = false;
        WalProviderInstruments.StateCleared(_name);
        try
        {
            // The cleared record becomes the stream's base, then every older record is erased: no read can reach the
            // old value, and compaction drops its bytes (superseded checkpoints included).
            await log.WriteCheckpointAsync(streamId, appended.LastVersion, cleared).ConfigureAwait(false);
            await log.DeleteEventsToAsync(streamId, appended.LastVersion).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw new ClearedStateNotErasedException(What(stateName, grainId), streamId, appended.LastVersion, ex);
        }
    }

    /// <summary>
    /// Throws <see cref="GrainDataUnderAnotherProviderException"/> when the state <paramref name="streamId"/> would hold
    /// is stored under another configured grain storage provider (<see cref="OtherProviderStreams"/>).
    /// </summary>
    private async Task RefuseIfStoredElsewhereAsync(IEventLog log, string streamId, string what)
    {
        if (await OtherProviderStreams.FindAsync(log, _log.ProviderPrefixes, GrainStreamNames.StatePrefix(_name), streamId, other => OtherProviderStreams.StateHoldsDataAsync(log, other, what)).ConfigureAwait(false) is { } stored)
        {
            throw new GrainDataUnderAnotherProviderException(what, streamId, stored);
        }
    }

    /// <summary>The newest record of state stream <paramref name="streamId"/> (its newest event, else its checkpoint) and its version.</summary>
    internal static async Task<(ReadOnlyMemory<byte> Bytes, long Version)> ReadNewestAsync(IEventLog log, string streamId, StreamInfo info, string what)
    {
        if (info.Version > info.CheckpointVersion)
        {
            try
            {
                IReadOnlyList<StoredEvent> newest = await log.ReadEventsAsync(streamId, info.Version, info.Version).ConfigureAwait(false);
                if (newest.Count == 1)
                {
                    return (newest[0].Payload, newest[0].Version);
                }
            }
            catch (EventsReclaimedException)
            {
                // A checkpoint landed between the look-up and the read: read the stream's base below.
            }
        }

        StreamReadResult stream = await log.ReadStreamAsync(streamId).ConfigureAwait(false);
        if (stream.Events.Count > 0)
        {
            StoredEvent last = stream.Events[^1];
            return (last.Payload, last.Version);
        }

        if (stream.Checkpoint is { } checkpoint)
        {
            return (checkpoint.State, checkpoint.Version);
        }

        throw new ValueDeserializationException(what, streamId, stream.Version, "?", WalCodec.None, stream.IsDeleted ? "the stream was deleted outside the provider" : "the stream holds neither a checkpoint nor an event at its version", null);
    }

    private async Task<AppendResult> AppendAsync(IEventLog log, string streamId, long expected, byte[] record, string stateName, GrainId grainId, string? etag)
    {
        try
        {
            return await log.AppendAsync(streamId, expected, [record]).ConfigureAwait(false);
        }
        catch (Exception ex) when (AppendFailure(ex, streamId, stateName, grainId, etag) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// The provider's error for a failed append of state <paramref name="stateName"/>: <see cref="InconsistentStateException"/>
    /// for a stale <paramref name="etag"/> (counted as a conflict), the translated engine error otherwise; null for an
    /// error that passes through as it is.
    /// </summary>
    private Exception? AppendFailure(Exception exception, string streamId, string stateName, GrainId grainId, string? etag)
    {
        if (exception is StreamVersionConflictException conflict)
        {
            WalProviderInstruments.EtagConflict(_name);
            return new InconsistentStateException(
                $"Writing {What(stateName, grainId)} refused: its ETag '{etag ?? "(none)"}' is not the stored version {conflict.ActualVersion} (another activation wrote, or the state was read before a later write). Nothing was stored.",
                conflict.ActualVersion.ToString(CultureInfo.InvariantCulture),
                etag,
                conflict);
        }

        return LogErrors.Translate(exception, $"Writing {What(stateName, grainId)}", streamId);
    }

    /// <summary>
    /// Makes the stored write the stream's checkpoint when the stream's latest checkpoint lies <c>CheckpointEveryWrites</c>
    /// or more versions back; never fails the write.
    /// </summary>
    /// <remarks>
    /// The stream's checkpoint version is looked up only at versions that are a multiple of <c>CheckpointEveryWrites</c>:
    /// a stream checkpointed at every such version is never due between them (a clear's checkpoint makes it due later, not
    /// sooner). After a checkpoint failed, every write looks it up, so the stream that missed one is checkpointed at its
    /// next write. The look-up of every write (a hash and an index read of the stream id) cost about 2% of the CPU of a
    /// write through Orleans.
    /// </remarks>
    private async Task MaybeCheckpointAsync(IEventLog log, string streamId, long version, byte[] record, string stateName, GrainId grainId)
    {
        try
        {
            int every = _options.CheckpointEveryWrites;
            if ((version % every == 0 || Volatile.Read(ref _checkpointMissed)) && version - log.GetStreamInfo(streamId).CheckpointVersion >= every)
            {
                await log.WriteCheckpointAsync(streamId, version, record).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WalException or ObjectDisposedException or IOException)
        {
            // The write itself is durable: a missing checkpoint only keeps older versions on disk longer.
            Volatile.Write(ref _checkpointMissed, true);
            WalProviderInstruments.CheckpointFailed(_name);
            LogCheckpointFailed(ex, What(stateName, grainId), streamId, version);
        }
    }

    private long ExpectedVersion(string? etag, string stateName, GrainId grainId)
    {
        if (etag is null)
        {
            return Wal.ExpectedVersion.NoStream;
        }

        if (long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out long version))
        {
            return version;
        }

        throw new InconsistentStateException($"Writing {What(stateName, grainId)} refused: '{etag}' is not an ETag of write-ahead-log storage '{_name}' (a stream version). Nothing was stored.", null, etag);
    }

    private string What(string stateName, GrainId grainId) => $"state '{stateName}' of grain {grainId} (storage '{_name}')";

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "The checkpoint of {What} at version {Version} (stream {StreamId}) failed; the write is durable, older versions stay on disk until the next checkpoint")]
    private partial void LogCheckpointFailed(Exception exception, string what, string streamId, long version);
}
