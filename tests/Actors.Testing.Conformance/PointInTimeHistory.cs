using System.Globalization;
using System.Text;

namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// The model of one stream's history for the point-in-time conformance cases: what was appended, checkpointed and
/// deleted when, and from it the state the stream had as of any bound and whether a read's answer is that state.
/// </summary>
internal sealed class PointInTimeHistory
{
    private readonly List<(char Kind, long Version, DateTimeOffset At)> _operations = [];
    private readonly HashSet<long> _deletedCheckpoints = [];
    private long _erasedTo;

    public void Appended(long version, DateTimeOffset at) => _operations.Add(('e', version, at));

    public void Checkpointed(long version, DateTimeOffset at) => _operations.Add(('c', version, at));

    public void Deleted(long version, DateTimeOffset at) => _operations.Add(('t', version, at));

    public void CheckpointsDeleted(long from, long to)
    {
        for (long v = from; v <= to; v++)
        {
            _deletedCheckpoints.Add(v);
        }
    }

    public void EventsErased(long toVersion) => _erasedTo = toVersion;

    /// <summary>Every bound worth reading: each version from 0 to past the end, or each operation's time and the moment before it.</summary>
    public IEnumerable<(ReadBound Bound, string Label)> Bounds(PointInTimeBound kind)
    {
        if (kind == PointInTimeBound.Version)
        {
            long top = _operations.Max(o => o.Version);
            for (long v = 0; v <= top + 1; v++)
            {
                yield return (ReadBound.AtVersion(v), $"version {v}");
            }

            yield break;
        }

        foreach (var (k, version, at) in _operations)
        {
            string what = k switch { 'e' => "event", 'c' => "checkpoint", _ => "tombstone" };
            yield return (ReadBound.AtTime(at - TimeSpan.FromSeconds(30)), $"30 s before {what} {version}");
            yield return (ReadBound.AtTime(at), $"the time of {what} {version} ({at.ToString("O", CultureInfo.InvariantCulture)})");
        }

        yield return (ReadBound.AtTime(_operations[^1].At + TimeSpan.FromDays(1)), "a day after the last operation");
    }

    /// <summary>The stream's state as of <paramref name="bound"/>: its version, whether it was deleted, and the version its incarnation starts after.</summary>
    public (long Version, bool IsDeleted, long Base) StateAt(ReadBound bound)
    {
        long version = 0;
        long start = 0;
        bool deleted = false;
        foreach (var (kind, v, at) in _operations)
        {
            if (!Within(bound, v, at))
            {
                continue;
            }

            if (kind == 'e')
            {
                version = v;
                deleted = false;
            }
            else if (kind == 't')
            {
                version = v;
                start = v;
                deleted = true;
            }
        }

        return (version, deleted, start);
    }

    /// <summary>
    /// Whether a read bounded here must succeed: at or after the newest checkpoint kept, or after the tombstone (what the
    /// stream's latest state is built from, which no log may reclaim).
    /// </summary>
    public bool MustBeReadable(ReadBound bound)
    {
        var anchor = _operations.LastOrDefault(o => o.Kind == 't');
        if (anchor.Kind == default)
        {
            anchor = _operations.Last(o => o.Kind == 'c' && !_deletedCheckpoints.Contains(o.Version));
        }

        return bound.ToVersion is { } v ? v >= anchor.Version : bound.AsOf >= anchor.At;
    }

    /// <summary>Null when <paramref name="read"/> is exactly the state <paramref name="expected"/>, else what differs.</summary>
    public string? Check(StreamReadResult read, ReadBound bound, (long Version, bool IsDeleted, long Base) expected)
    {
        string got = Describe(read);
        if (expected.IsDeleted)
        {
            return read.IsDeleted && read.Version == expected.Version && read.Checkpoint is null && read.Events.Count == 0
                ? null
                : $"expected the stream deleted at version {expected.Version}, got {got}";
        }

        if (read.IsDeleted || read.Version != expected.Version)
        {
            return $"expected version {expected.Version} (not deleted), got {got}";
        }

        long from = expected.Base + 1;
        if (read.Checkpoint is { } checkpoint)
        {
            long k = checkpoint.Version;
            bool written = _operations.Any(o => o.Kind == 'c' && o.Version == k && o.At == checkpoint.Timestamp);
            if (!written || k <= expected.Base || k > expected.Version || _deletedCheckpoints.Contains(k)
                || (bound.AsOf is { } asOf && checkpoint.Timestamp > asOf)
                || Encoding.UTF8.GetString(checkpoint.State.Span) != $"state@{k}")
            {
                return $"checkpoint {k} written at {checkpoint.Timestamp:O} is not a kept checkpoint of the state as of the bound, got {got}";
            }

            from = k + 1;
        }

        if (read.Events.Any(e => e.Version <= _erasedTo))
        {
            return $"an event erased (up to version {_erasedTo}) was handed out: {got}";
        }

        long count = expected.Version - from + 1;
        if (read.Events.Count != count)
        {
            return $"expected events {from}..{expected.Version} after {(read.Checkpoint is null ? "the stream's start" : $"checkpoint {read.Checkpoint.Version}")}, got {got}";
        }

        for (int i = 0; i < read.Events.Count; i++)
        {
            var e = read.Events[i];
            if (e.Version != from + i || Encoding.UTF8.GetString(e.Payload.Span) != $"p{from + i}")
            {
                return $"expected event {from + i} (p{from + i}) at position {i}, got {got}";
            }
        }

        return null;
    }

    private static bool Within(ReadBound bound, long version, DateTimeOffset at)
        => bound.ToVersion is { } v ? version <= v : bound.AsOf is not { } asOf || at <= asOf;

    private static string Describe(StreamReadResult read)
        => $"[version {read.Version}, deleted {read.IsDeleted}, checkpoint {read.Checkpoint?.Version.ToString(CultureInfo.InvariantCulture) ?? "none"}, "
            + $"events {string.Join(",", read.Events.Select(e => e.Version))}]";
}
