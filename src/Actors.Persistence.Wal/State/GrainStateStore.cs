using System.Collections.Concurrent;
using System.Globalization;
using Actors.Persistence.Wal.Diagnostics;
using Actors.Persistence.Wal.Format;
using Actors.Wal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Persistence.Wal;

/// <summary>
/// Named persistent states of grains in a write-ahead-log store: each grain's states live in the grain's own
/// stream as full-value records tagged with the state name; several states can change in one atomic append.
/// Independent of any particular grain runtime.
/// </summary>
/// <remarks>
/// <para>
/// ETags: a state's tag is the stream version of its last write, in invariant decimal. A write or clear must present
/// the stored tag (null when there is no record), otherwise it fails and stores nothing. A clear removes the record
/// (tag null afterwards).
/// </para>
/// <para>
/// Clears are physical in both history modes: once the clear is durable, a checkpoint of the remaining states is written
/// and every earlier record of the grain is erased (<see cref="IEventLog.DeleteEventsToAsync"/>), so the cleared value
/// leaves the log's files at the next compaction (a <see cref="EventHistoryPolicy.KeepAll"/> store loses the grain's
/// earlier state records with it).
/// </para>
/// <para>
/// Each grain's latest state values are cached (as encoded bytes) so that tags can be checked and checkpoints written
/// without reading the log; the cache is revalidated against the log's stream version on every call and dropped
/// with <see cref="Forget"/>, or when more than <see cref="WriteAheadLogStoreOptions.MaxCachedGrains"/> grains are
/// cached (least recently used idle grains first). Thread-safe; calls for one grain are serialized.
/// </para>
/// </remarks>
public sealed partial class GrainStateStore
{
    private readonly WriteAheadLogStore _store;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, StreamHead> _heads = new(StringComparer.Ordinal);

    /// <summary>Creates the state store over <paramref name="store"/>.</summary>
    public GrainStateStore(WriteAheadLogStore store, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The underlying store.</summary>
    public WriteAheadLogStore Store => _store;

    /// <summary>The number of grains whose states are cached.</summary>
    public int CachedGrains => _heads.Count;

    /// <summary>Reads one named state of a grain.</summary>
    /// <exception cref="GrainStorageLoadException">The stream cannot be read or a record cannot be decoded.</exception>
    public async Task<StateSnapshot> ReadAsync(GrainId grainId, string stateName, Type stateType, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        ArgumentNullException.ThrowIfNull(stateType);
        StreamHead head = await AcquireAsync(grainId, cancellationToken);
        try
        {
            await EnsureLoadedAsync(grainId, head, cancellationToken);
            if (!head.States.TryGetValue(stateName, out StoredState stored))
            {
                return new StateSnapshot(null, null, false);
            }

            object? value;
            try
            {
                value = _store.Codec.DecodeState(stored.Payload, stateType, new CodecContext(head.StreamId, stored.Version));
            }
            catch (EventDecodingException ex)
            {
                throw new GrainStorageLoadException(grainId, _store.Name, stored.Version, $"state '{stateName}': {ex.Message}", ex);
            }

            return new StateSnapshot(value, ETagOf(stored.Version), true);
        }
        finally
        {
            Release(head);
        }
    }

    /// <summary>
    /// Writes or clears one or more named states of a grain as one atomic append: every tag is checked first, and
    /// either all changes are stored or none.
    /// </summary>
    /// <returns>The new tag of each change, in order (null for a clear).</returns>
    /// <exception cref="ArgumentException">Two changes name the same state.</exception>
    /// <exception cref="GrainStorageFailedException">The append failed with an unknown outcome; the grain must reload.</exception>
    public async Task<IReadOnlyList<string?>> WriteAsync(GrainId grainId, IReadOnlyList<StateChange> changes, CheckpointPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return [];
        }

        if (changes.Select(c => c.StateName).Distinct(StringComparer.Ordinal).Count() != changes.Count)
        {
            throw new ArgumentException("An atomic write must name each state at most once.", nameof(changes));
        }

        StreamHead head = await AcquireAsync(grainId, cancellationToken);
        try
        {
            await EnsureLoadedAsync(grainId, head, cancellationToken);
            foreach (StateChange change in changes)
            {
                string? stored = head.States.TryGetValue(change.StateName, out StoredState s) ? ETagOf(s.Version) : null;
                if (!string.Equals(stored, change.ETag, StringComparison.Ordinal))
                {
                    throw StorageErrors.StaleETag(grainId, _store.Name, change.StateName, stored, change.ETag);
                }
            }

            var records = new ReadOnlyMemory<byte>[changes.Count];
            var payloads = new ReadOnlyMemory<byte>[changes.Count];
            long bytes = 0;
            for (int i = 0; i < changes.Count; i++)
            {
                (payloads[i], records[i]) = Encode(grainId, changes[i]);
                bytes += records[i].Length;
            }

            // One atomic write is one engine append; bounding it by the record limit (at most half a segment) leaves
            // room for the engine's framing, so the engine never refuses it.
            if (bytes > _store.Options.MaxRecordSizeBytes)
            {
                throw StorageErrors.Rejected(grainId, _store.Name, string.Join("', '", changes.Select(c => c.StateName)),
                    $"the atomic write encodes to {bytes} bytes; the store allows at most {_store.Options.MaxRecordSizeBytes} per write ({nameof(WriteAheadLogStoreOptions.MaxRecordSizeBytes)}). Nothing was stored.", null);
            }

            byte[]? checkpointAfterClear = CheckpointAfterClear(grainId, head, changes, payloads);
            long expected = head.Version;
            AppendResult result;
            try
            {
                IEventLog log = await _store.GetLogAsync(CancellationToken.None);
                result = await log.AppendAsync(head.StreamId, expected, records, CancellationToken.None);
            }
            catch (RequestRejectedException ex)
            {
                throw StorageErrors.Rejected(grainId, _store.Name, changes[0].StateName, ex.Message, ex);
            }
            catch (Exception ex)
            {
                head.Loaded = false;
                PersistenceInstruments.Failed(_store.Name);
                throw new GrainStorageFailedException(grainId, _store.Name, expected, ex);
            }

            PersistenceInstruments.StateRecordsAppended(_store.Name, changes.Count);
            var tags = new string?[changes.Count];
            for (int i = 0; i < changes.Count; i++)
            {
                long version = result.FirstVersion + i;
                if (changes[i].IsClear)
                {
                    head.States.Remove(changes[i].StateName);
                }
                else
                {
                    head.States[changes[i].StateName] = new StoredState(version, payloads[i]);
                    tags[i] = ETagOf(version);
                }
            }

            head.Version = result.LastVersion;
            head.RecordsSinceCheckpoint += changes.Count;
            head.BytesSinceCheckpoint += bytes;
            if (checkpointAfterClear is not null)
            {
                await EraseClearedAsync(grainId, head, checkpointAfterClear);
            }
            else if (policy.IsDue(head.StreamId, head.Version, head.RecordsSinceCheckpoint, head.BytesSinceCheckpoint))
            {
                // The states are already durable: a cancellation now must not report the write as failed
                // (the caller's ETag would go stale), so the checkpoint ignores the caller's token.
                await WriteCheckpointAsync(grainId, head, CancellationToken.None);
            }

            return tags;
        }
        finally
        {
            Release(head);
        }
    }

    /// <summary>Drops the cached states of a grain (call when it deactivates); the next call reloads them from the log.</summary>
    /// <returns>False when the grain was not cached or a call for it is running (then nothing is dropped).</returns>
    public bool Forget(GrainId grainId) =>
        _heads.TryGetValue(GrainStreams.GetStreamId(grainId), out StreamHead? head) && TryEvict(head);

    /// <summary>Formats a stream version as an ETag.</summary>
    public static string ETagOf(long version) => version.ToString(CultureInfo.InvariantCulture);

    private async Task<StreamHead> AcquireAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        string streamId = GrainStreams.GetStreamId(grainId);
        while (true)
        {
            StreamHead head = _heads.GetOrAdd(streamId, static id => new StreamHead(id));
            await head.Gate.WaitAsync(cancellationToken);
            if (!head.Evicted)
            {
                head.LastUsed = Environment.TickCount64;
                return head;
            }

            // Evicted between lookup and lock: a fresh head replaces it.
            head.Gate.Release();
        }
    }

    private void Release(StreamHead head)
    {
        head.Gate.Release();
        int max = _store.Options.MaxCachedGrains;
        if (_heads.Count > max)
        {
            Trim(max - (max / 10));
        }
    }

    private void Trim(int target)
    {
        foreach (StreamHead head in _heads.Values.OrderBy(h => h.LastUsed).ToArray())
        {
            if (_heads.Count <= target)
            {
                return;
            }

            TryEvict(head);
        }
    }

    /// <summary>Removes an idle head; a head in use is skipped (its holder keeps working on it).</summary>
    private bool TryEvict(StreamHead head)
    {
        if (!head.Gate.Wait(0))
        {
            return false;
        }

        try
        {
            head.Evicted = true;
            return _heads.TryRemove(new KeyValuePair<string, StreamHead>(head.StreamId, head));
        }
        finally
        {
            head.Gate.Release();
        }
    }

    private (ReadOnlyMemory<byte> Payload, ReadOnlyMemory<byte> Record) Encode(GrainId grainId, StateChange change)
    {
        if (change.IsClear)
        {
            return (ReadOnlyMemory<byte>.Empty, new GrainRecord(GrainRecordKind.StateClear, change.StateName, "", ReadOnlyMemory<byte>.Empty).ToArray());
        }

        ReadOnlyMemory<byte> payload;
        try
        {
            payload = _store.Codec.EncodeState(change.State, change.StateType);
        }
        catch (Exception ex)
        {
            EventEncodingException encoding = EncodingFailures.ToEncodingException(change.StateType, ex, $"Codec '{_store.Codec.GetType().Name}'");
            throw StorageErrors.Rejected(grainId, _store.Name, change.StateName, encoding.Message, encoding);
        }

        byte[] record = GrainRecordCompression.ToArray(new GrainRecord(GrainRecordKind.StateWrite, change.StateName, "", payload), _store.Options.Compression);
        if (record.Length > _store.Options.MaxEventSizeBytes)
        {
            throw StorageErrors.Rejected(grainId, _store.Name, change.StateName,
                $"its encoded record is {record.Length} bytes; the store allows at most {_store.Options.MaxEventSizeBytes} ({nameof(WriteAheadLogStoreOptions.MaxEventSizeBytes)}). Nothing was stored.", null);
        }

        return (payload, record);
    }

    private sealed class StreamHead(string streamId)
    {
        public string StreamId { get; } = streamId;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Dictionary<string, StoredState> States { get; } = new(StringComparer.Ordinal);

        public bool Loaded { get; set; }

        public bool Evicted { get; set; }

        public long LastUsed { get; set; }

        public long Version { get; set; }

        public long CheckpointVersion { get; set; }

        public long RecordsSinceCheckpoint { get; set; }

        public long BytesSinceCheckpoint { get; set; }
    }

    private readonly record struct StoredState(long Version, ReadOnlyMemory<byte> Payload);
}
