namespace Actors.Wal.Tests.Properties;

/// <summary>
/// A deliberately naive, obviously-correct model of an <see cref="IEventLog"/>: each stream is the list of its
/// records (events, checkpoints, tombstones) in log order, and every read is a left fold over the records that
/// fall inside the read bound. It shares no code with <see cref="InMemoryEventLog"/> (which uses per-kind sorted
/// lists and binary search), so agreement between the two means something.
/// </summary>
/// <remarks>
/// The fold: an event appends itself and sets the version; a checkpoint replaces the state and drops the events it
/// covers; a tombstone clears everything and marks the stream deleted at its version. A bound keeps the records
/// with <c>Version &lt;= v</c> (by version) or <c>Timestamp &lt;= t</c> (by time); timestamps never decrease
/// because the tests' clock only moves forward. Validation order (first failure wins): stream id, expected
/// version or checkpoint version below 1, payload sizes, then the checks against the stream's state.
/// </remarks>
internal sealed class EventLogModel(int maxRecordSizeBytes)
{
    private readonly Dictionary<string, List<ModelRecord>> _streams = new(StringComparer.Ordinal);

    /// <summary>The LSN the model gave the last record (the in-memory log must agree exactly).</summary>
    public long LastLsn { get; private set; }

    public ModelOutcome Append(string streamId, long expectedVersion, IReadOnlyList<byte[]> payloads, DateTimeOffset now)
    {
        if (!IsValidStreamId(streamId))
        {
            return ModelOutcome.Rejected(typeof(InvalidStreamIdException));
        }

        if (expectedVersion < ExpectedVersion.Any)
        {
            return ModelOutcome.Rejected(typeof(ArgumentOutOfRangeException));
        }

        if (payloads.Count == 0)
        {
            return ModelOutcome.Rejected(typeof(ArgumentException));
        }

        if (payloads.Any(p => p.Length > maxRecordSizeBytes))
        {
            return ModelOutcome.Rejected(typeof(RecordTooLargeException));
        }

        var records = Records(streamId);
        long version = VersionOf(records);
        if (expectedVersion != ExpectedVersion.Any && expectedVersion != version)
        {
            return ModelOutcome.Conflict(expectedVersion, version);
        }

        foreach (var payload in payloads)
        {
            records.Add(new ModelRecord(ModelRecordKind.Event, ++version, ++LastLsn, now, payload));
        }

        _streams[streamId] = records;
        return ModelOutcome.Stored(version - payloads.Count + 1, version, LastLsn);
    }

    public ModelOutcome Checkpoint(string streamId, long version, byte[] state, DateTimeOffset now)
    {
        if (!IsValidStreamId(streamId))
        {
            return ModelOutcome.Rejected(typeof(InvalidStreamIdException));
        }

        if (version < 1)
        {
            return ModelOutcome.Rejected(typeof(CheckpointVersionOutOfRangeException));
        }

        if (state.Length > maxRecordSizeBytes)
        {
            return ModelOutcome.Rejected(typeof(RecordTooLargeException));
        }

        var records = Records(streamId);
        var latest = Fold(records);
        long lastTombstoneVersion = records.LastOrDefault(r => r.Kind == ModelRecordKind.Tombstone)?.Version ?? 0;
        bool hasTombstone = records.Any(r => r.Kind == ModelRecordKind.Tombstone);
        if (version > latest.Version
            || (hasTombstone && version <= lastTombstoneVersion)
            || (latest.Checkpoint is { } checkpoint && version < checkpoint.Version))
        {
            return ModelOutcome.Rejected(typeof(CheckpointVersionOutOfRangeException));
        }

        records.Add(new ModelRecord(ModelRecordKind.Checkpoint, version, ++LastLsn, now, state));
        _streams[streamId] = records;
        return ModelOutcome.Stored(version, version, LastLsn);
    }

    public ModelOutcome Delete(string streamId, long expectedVersion, DateTimeOffset now)
    {
        if (!IsValidStreamId(streamId))
        {
            return ModelOutcome.Rejected(typeof(InvalidStreamIdException));
        }

        if (expectedVersion < ExpectedVersion.Any)
        {
            return ModelOutcome.Rejected(typeof(ArgumentOutOfRangeException));
        }

        var records = Records(streamId);
        long version = VersionOf(records);
        if (expectedVersion != ExpectedVersion.Any && expectedVersion != version)
        {
            return ModelOutcome.Conflict(expectedVersion, version);
        }

        records.Add(new ModelRecord(ModelRecordKind.Tombstone, version, ++LastLsn, now, []));
        _streams[streamId] = records;
        return ModelOutcome.Stored(version, version, LastLsn);
    }

    /// <summary>The state a read with <paramref name="bound"/> must return.</summary>
    public ModelState Read(string streamId, ReadBound bound)
    {
        IEnumerable<ModelRecord> records = Records(streamId);
        if (bound.ToVersion is { } toVersion)
        {
            records = records.Where(r => r.Version <= toVersion);
        }
        else if (bound.AsOf is { } asOf)
        {
            records = records.Where(r => r.Timestamp <= asOf);
        }

        return Fold(records);
    }

    /// <summary>Every event ever stored with a version in [from, to] (the in-memory log reclaims nothing).</summary>
    public IReadOnlyList<ModelRecord> ReadEvents(string streamId, long fromVersion, long toVersion) =>
        Records(streamId).Where(r => r.Kind == ModelRecordKind.Event && r.Version >= fromVersion && r.Version <= toVersion).ToList();

    /// <summary>The highest version whose events a log may have reclaimed: the latest checkpoint's or tombstone's.</summary>
    public long ReclaimableUpTo(string streamId) =>
        Records(streamId).Where(r => r.Kind != ModelRecordKind.Event).Select(r => r.Version).DefaultIfEmpty(0).Max();

    /// <summary>The version of the stream's latest tombstone, or 0.</summary>
    public long LastTombstoneVersion(string streamId) =>
        Records(streamId).LastOrDefault(r => r.Kind == ModelRecordKind.Tombstone)?.Version ?? 0;

    public StreamInfo Info(string streamId)
    {
        var records = Records(streamId);
        var state = Fold(records);
        return new StreamInfo(VersionOf(records), state.Checkpoint?.Version ?? 0, state.IsDeleted);
    }

    public static bool IsValidStreamId(string streamId)
    {
        try
        {
            StreamId.Validate(streamId);
            return true;
        }
        catch (InvalidStreamIdException)
        {
            return false;
        }
    }

    private static ModelState Fold(IEnumerable<ModelRecord> records)
    {
        ModelRecord? checkpoint = null;
        var events = new List<ModelRecord>();
        long version = 0;
        bool deleted = false;
        foreach (var record in records)
        {
            switch (record.Kind)
            {
                case ModelRecordKind.Event:
                    events.Add(record);
                    version = record.Version;
                    deleted = false;
                    break;
                case ModelRecordKind.Checkpoint:
                    checkpoint = record;
                    events.RemoveAll(e => e.Version <= record.Version);
                    break;
                case ModelRecordKind.Tombstone:
                    checkpoint = null;
                    events.Clear();
                    version = record.Version;
                    deleted = true;
                    break;
                default:
                    throw new InvalidOperationException($"Unknown record kind {record.Kind}.");
            }
        }

        return new ModelState(checkpoint, events, version, deleted);
    }

    private static long VersionOf(List<ModelRecord> records) =>
        records.Where(r => r.Kind == ModelRecordKind.Event).Select(r => r.Version).DefaultIfEmpty(0).Max();

    private List<ModelRecord> Records(string streamId) =>
        _streams.TryGetValue(streamId, out var records) ? records : [];
}
