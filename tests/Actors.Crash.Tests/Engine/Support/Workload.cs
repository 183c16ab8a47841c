using Actors.Wal;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>What a workload asked the log to do to one stream.</summary>
internal enum WorkKind
{
    Append,
    Checkpoint,
    Delete,

    /// <summary><see cref="IEventLog.DeleteEventsToAsync"/> up to <see cref="WorkItem.CheckpointVersion"/>.</summary>
    Erase,

    /// <summary><see cref="IEventLog.DeleteCheckpointsAsync"/> of the checkpoint at <see cref="WorkItem.CheckpointVersion"/>.</summary>
    DeleteCheckpoint,
}

/// <summary>One append, checkpoint or delete issued by a workload, with when (at which disk boundary) it was acknowledged.</summary>
internal sealed class WorkItem
{
    public required string Stream { get; init; }

    public required WorkKind Kind { get; init; }

    public IReadOnlyList<byte[]> Events { get; init; } = [];

    public long CheckpointVersion { get; init; }

    public byte[] State { get; init; } = [];

    /// <summary>The LSN of the item's last record (known once acknowledged; <see cref="long.MaxValue"/> before).</summary>
    public long LastLsn { get; set; } = long.MaxValue;

    /// <summary>The disk operation count observed right after the acknowledgment (an upper bound on the true point).</summary>
    public int AckedAtOp { get; set; } = int.MaxValue;

    /// <summary>True once the task completed successfully.</summary>
    public bool Acked => AckedAtOp != int.MaxValue;

    /// <summary>The exception the task failed with, if it failed.</summary>
    public Exception? Failure { get; set; }
}

/// <summary>
/// Issues appends, checkpoints and deletes against a log, records each in per-stream order with its acknowledgment
/// point, and checks a recovered log against the acknowledged-prefix rule.
/// </summary>
internal sealed class Workload(Func<int> operationCount)
{
    private readonly Dictionary<string, List<WorkItem>> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _minimumCheckpoint = new(StringComparer.Ordinal);

    private readonly List<WorkItem> _all = [];
    private readonly List<(int AckedAtOp, List<(string Stream, long Version, byte[] Payload)> Erased)> _compactions = [];

    public IReadOnlyDictionary<string, List<WorkItem>> Streams => _streams;

    /// <summary>Every item in the order it was issued.</summary>
    public IReadOnlyList<WorkItem> AllItems => _all;

    public IEnumerable<WorkItem> Items => _streams.Values.SelectMany(s => s);

    public long VersionOf(string stream) => _versions.GetValueOrDefault(stream);

    /// <summary>The lowest version a checkpoint may cover now (above the latest checkpoint or deletion).</summary>
    public long MinimumCheckpointVersion(string stream) => _minimumCheckpoint.GetValueOrDefault(stream, 1);

    public Task AppendAsync(IEventLog log, string stream, IReadOnlyList<byte[]> events)
    {
        var item = Add(new WorkItem { Stream = stream, Kind = WorkKind.Append, Events = events });
        long expected = VersionOf(stream);
        _versions[stream] = expected + events.Count;
        return TrackAsync(item, async () => (await log.AppendAsync(stream, expected, events.Select(e => (ReadOnlyMemory<byte>)e).ToArray())).LastLsn);
    }

    public Task CheckpointAsync(IEventLog log, string stream, long version, byte[] state)
    {
        var item = Add(new WorkItem { Stream = stream, Kind = WorkKind.Checkpoint, CheckpointVersion = version, State = state });
        _minimumCheckpoint[stream] = version;
        return TrackAsync(item, async () => (await log.WriteCheckpointAsync(stream, version, state)).Lsn);
    }

    /// <summary>Erases the stream's events up to <paramref name="toVersion"/> (reads then start after it); acknowledged when the erase returned.</summary>
    public Task EraseAsync(IEventLog log, string stream, long toVersion)
    {
        var item = Add(new WorkItem { Stream = stream, Kind = WorkKind.Erase, CheckpointVersion = toVersion });
        return TrackAsync(item, async () =>
        {
            await log.DeleteEventsToAsync(stream, toVersion);
            return long.MaxValue; // no LSN: required once acknowledged (the copy is synced under every policy)
        });
    }

    /// <summary>Deletes the checkpoint at <paramref name="version"/> (not the stream's newest: the latest state stays).</summary>
    public Task DeleteCheckpointAsync(IEventLog log, string stream, long version)
    {
        var item = Add(new WorkItem { Stream = stream, Kind = WorkKind.DeleteCheckpoint, CheckpointVersion = version });
        return TrackAsync(item, async () =>
        {
            await log.DeleteCheckpointsAsync(stream, CheckpointSelectionCriteria.AtVersion(version));
            return long.MaxValue;
        });
    }

    /// <summary>
    /// Runs <see cref="WriteAheadLog.CompactAsync"/> and records, with the disk operation count when it returned, the payloads
    /// of every event the erases acknowledged before the call removed: from then on they may be in no file of the log.
    /// </summary>
    public async Task CompactAsync(WriteAheadLog log)
    {
        var erased = ErasedPayloads();
        await log.CompactAsync();
        _compactions.Add((operationCount(), erased));
    }

    /// <summary>The payloads no file may hold at <paramref name="boundary"/>: those of a compaction acknowledged by then.</summary>
    public IEnumerable<(string Stream, long Version, byte[] Payload)> ErasedBy(int boundary)
        => _compactions.Where(c => c.AckedAtOp <= boundary).SelectMany(c => c.Erased);

    /// <summary>The events the acknowledged erases removed: per stream, every event up to the highest erased version.</summary>
    public List<(string Stream, long Version, byte[] Payload)> ErasedPayloads()
    {
        var erased = new List<(string, long, byte[])>();
        foreach (var (stream, items) in _streams)
        {
            long upTo = items.Where(i => i.Kind == WorkKind.Erase && i.Acked).Select(i => i.CheckpointVersion).DefaultIfEmpty(0).Max();
            long version = 0;
            foreach (var item in items.Where(i => i.Kind == WorkKind.Append && i.Failure is null))
            {
                foreach (byte[] payload in item.Events)
                {
                    version++;
                    if (version <= upTo)
                    {
                        erased.Add((stream, version, payload));
                    }
                }
            }
        }

        return erased;
    }

    public Task DeleteAsync(IEventLog log, string stream)
    {
        var item = Add(new WorkItem { Stream = stream, Kind = WorkKind.Delete });
        _minimumCheckpoint[stream] = VersionOf(stream) + 1;
        return TrackAsync(item, async () => (await log.DeleteStreamAsync(stream, VersionOf(stream))).LastLsn);
    }

    /// <summary>The state a stream has after its first <paramref name="count"/> items.</summary>
    public static ExpectedStream StateAfter(IReadOnlyList<WorkItem> items, int count)
    {
        long version = 0;
        ExpectedCheckpoint? checkpoint = null;
        var events = new List<ExpectedEvent>();
        bool deleted = false;
        foreach (var item in items.Take(count))
        {
            if (item.Failure is RequestRejectedException)
            {
                continue; // rejected: nothing was stored
            }

            switch (item.Kind)
            {
                case WorkKind.Append:
                    for (int i = 0; i < item.Events.Count; i++)
                    {
                        long lsn = item.LastLsn == long.MaxValue ? 0 : item.LastLsn - item.Events.Count + 1 + i;
                        events.Add(new ExpectedEvent(version + 1 + i, item.Events[i], lsn));
                    }

                    version += item.Events.Count;
                    deleted = false;
                    break;
                case WorkKind.Checkpoint:
                    checkpoint = new ExpectedCheckpoint(item.CheckpointVersion, item.State, item.LastLsn == long.MaxValue ? 0 : item.LastLsn);
                    events.RemoveAll(e => e.Version <= item.CheckpointVersion);
                    deleted = false;
                    break;
                case WorkKind.Erase:
                    events.RemoveAll(e => e.Version <= item.CheckpointVersion);
                    break;
                case WorkKind.Delete:
                    checkpoint = null;
                    events.Clear();
                    deleted = true;
                    break;
                default:
                    break;
            }
        }

        return new ExpectedStream(version, checkpoint, events, deleted);
    }

    /// <summary>
    /// Checks every stream: its recovered state must equal its state after some prefix of its items that contains
    /// every <paramref name="required"/> item (so unacknowledged items are all there or not at all).
    /// </summary>
    /// <returns>Null when the rule holds, else what differs. <paramref name="chosen"/> gets the matching prefix per stream.</returns>
    public async Task<string?> CheckAsync(IEventLog log, Func<WorkItem, bool> required, Dictionary<string, int> chosen)
    {
        foreach (var (stream, items) in _streams)
        {
            int min = 0;
            for (int i = 0; i < items.Count; i++)
            {
                if (required(items[i]))
                {
                    min = i + 1;
                }
            }

            var read = await log.ReadStreamAsync(stream);
            var info = log.GetStreamInfo(stream);
            int match = -1;
            for (int j = min; j <= items.Count && match < 0; j++)
            {
                if (StateAfter(items, j).Matches(read, info))
                {
                    match = j;
                }
            }

            if (match < 0)
            {
                return $"stream '{stream}': recovered {Describe(read, info)} matches no state after {min}..{items.Count} of its {items.Count} items "
                    + $"(expected at least {StateAfter(items, min)})";
            }

            chosen[stream] = match;
            string? resurrected = await CheckDeletedCheckpointsAsync(log, stream, items, required);
            if (resurrected is not null)
            {
                return resurrected;
            }
        }

        return null;
    }

    /// <summary>An acknowledged checkpoint deletion must not come undone: a read bounded at its version never returns it.</summary>
    private static async Task<string?> CheckDeletedCheckpointsAsync(IEventLog log, string stream, List<WorkItem> items, Func<WorkItem, bool> required)
    {
        foreach (var item in items.Where(i => i.Kind == WorkKind.DeleteCheckpoint && i.Acked && required(i)))
        {
            try
            {
                var read = await log.ReadStreamAsync(stream, ReadBound.AtVersion(item.CheckpointVersion));
                if (read.Checkpoint?.Version == item.CheckpointVersion)
                {
                    return $"stream '{stream}': the checkpoint at version {item.CheckpointVersion}, whose deletion was acknowledged, is readable again";
                }
            }
            catch (EventsReclaimedException)
            {
                // Reclaimed with the events it covered: gone either way.
            }
        }

        return null;
    }

    private static string Describe(StreamReadResult read, StreamInfo info)
        => $"[version {read.Version}, deleted {read.IsDeleted}, checkpoint {read.Checkpoint?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, "
            + $"events {string.Join(",", read.Events.Select(e => e.Version))}, info {info}]";

    private WorkItem Add(WorkItem item)
    {
        if (!_streams.TryGetValue(item.Stream, out var list))
        {
            list = [];
            _streams[item.Stream] = list;
        }

        list.Add(item);
        _all.Add(item);
        return item;
    }

    private async Task TrackAsync(WorkItem item, Func<Task<long>> action)
    {
        try
        {
            item.LastLsn = await action();
            item.AckedAtOp = operationCount();
        }
        catch (Exception ex) when (ex is WalException or ObjectDisposedException)
        {
            item.Failure = ex;
        }
    }
}

internal sealed record ExpectedEvent(long Version, byte[] Payload, long Lsn);

internal sealed record ExpectedCheckpoint(long Version, byte[] State, long Lsn);

/// <summary>What reading a stream must return.</summary>
internal sealed record ExpectedStream(long Version, ExpectedCheckpoint? Checkpoint, IReadOnlyList<ExpectedEvent> Events, bool IsDeleted)
{
    public bool Matches(StreamReadResult read, StreamInfo info)
    {
        if (read.Version != Version || read.IsDeleted != IsDeleted || info.Version != Version || info.IsDeleted != IsDeleted
            || info.CheckpointVersion != (Checkpoint?.Version ?? 0) || read.Events.Count != Events.Count)
        {
            return false;
        }

        if (Checkpoint is null != read.Checkpoint is null)
        {
            return false;
        }

        if (Checkpoint is not null && (read.Checkpoint!.Version != Checkpoint.Version || !read.Checkpoint.State.Span.SequenceEqual(Checkpoint.State)
            || (Checkpoint.Lsn != 0 && read.Checkpoint.Lsn != Checkpoint.Lsn)))
        {
            return false;
        }

        for (int i = 0; i < Events.Count; i++)
        {
            var e = read.Events[i];
            if (e.Version != Events[i].Version || !e.Payload.Span.SequenceEqual(Events[i].Payload) || (Events[i].Lsn != 0 && e.Lsn != Events[i].Lsn))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString()
        => $"[version {Version}, deleted {IsDeleted}, checkpoint {Checkpoint?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, events {string.Join(",", Events.Select(e => e.Version))}]";
}
