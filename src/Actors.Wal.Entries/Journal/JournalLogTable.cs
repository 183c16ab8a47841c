using System.Diagnostics.CodeAnalysis;

namespace Actors.Wal.Entries.Journal;

/// <summary>
/// The logs of an <see cref="EntryJournal"/>: each log's index (kept while the journal is open, whether or not the log
/// is: a later open continues from it), and which logs are open now (one instance per log id).
/// </summary>
/// <remarks>Not thread-safe: recovery fills it before the journal exists; then the journal calls it under its lock.</remarks>
internal sealed class JournalLogTable
{
    private readonly Dictionary<int, JournalLogIndex> _indexes = new();
    private readonly HashSet<int> _open = new();

    /// <summary>The number of logs open now.</summary>
    public int OpenCount => _open.Count;

    /// <summary>The ordinal of the oldest segment some log still needs while the journal is durable up to <paramref name="durablePosition"/> (<see cref="long.MaxValue"/> when none): older segments are obsolete (<see cref="JournalLogIndex.FirstNeededSegment"/>).</summary>
    public long FirstNeededSegment(long durablePosition)
    {
        var needed = long.MaxValue;
        foreach (var index in _indexes.Values)
        {
            needed = Math.Min(needed, index.FirstNeededSegment(durablePosition));
        }

        return needed;
    }

    /// <summary>Log <paramref name="logId"/>'s index, created empty when the log has none yet.</summary>
    public JournalLogIndex GetOrAdd(int logId)
    {
        if (!_indexes.TryGetValue(logId, out var index))
        {
            index = new JournalLogIndex(logId);
            _indexes.Add(logId, index);
        }

        return index;
    }

    /// <summary>Opens log <paramref name="logId"/>: its index, or false when the log is open already.</summary>
    public bool TryOpen(int logId, [NotNullWhen(true)] out JournalLogIndex? index)
    {
        if (!_open.Add(logId))
        {
            index = null;
            return false;
        }

        index = GetOrAdd(logId);
        return true;
    }

    /// <summary>Whether log <paramref name="logId"/> is open now.</summary>
    public bool IsOpen(int logId) => _open.Contains(logId);

    /// <summary>Closes log <paramref name="logId"/> (its index stays).</summary>
    public void Close(int logId) => _open.Remove(logId);
}
