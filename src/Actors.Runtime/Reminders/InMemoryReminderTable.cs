using System.Globalization;

namespace Actors.Reminders;

/// <summary>
/// A volatile <see cref="IReminderTable"/> for development and tests (Orleans' in-memory reminder table): rows live as
/// long as the silo's services, so reminders do not survive a restart.
/// </summary>
internal sealed class InMemoryReminderTable(IReminderPartitioner partitioner) : IReminderTable
{
    private readonly object _lock = new();
    private readonly Dictionary<(GrainId, string), ReminderEntry> _rows = [];
    private long _nextETag;

    public Task<IReadOnlyList<ReminderEntry>> ReadPartitionAsync(int partition, CancellationToken cancellationToken)
        => Read(row => partitioner.GetPartition(row.GrainId) == partition);

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken)
        => Read(row => row.GrainId == grainId);

    public Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.GetValueOrDefault((grainId, reminderName)));
        }
    }

    public Task<string> UpsertRowAsync(GrainId grainId, string reminderName, DateTime startAt, TimeSpan period, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            string eTag = (++_nextETag).ToString(CultureInfo.InvariantCulture);
            _rows[(grainId, reminderName)] = new ReminderEntry(grainId, reminderName, startAt, period, eTag, null);
            return Task.FromResult(eTag);
        }
    }

    public Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            bool matches = _rows.TryGetValue((grainId, reminderName), out ReminderEntry? row) && row.ETag == eTag;
            return Task.FromResult(matches && _rows.Remove((grainId, reminderName)));
        }
    }

    public Task RecordTickAsync(GrainId grainId, string reminderName, string eTag, DateTime tickTime, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_rows.TryGetValue((grainId, reminderName), out ReminderEntry? row) && row.ETag == eTag)
            {
                _rows[(grainId, reminderName)] = row with { LastTickTime = tickTime };
            }
        }

        return Task.CompletedTask;
    }

    private Task<IReadOnlyList<ReminderEntry>> Read(Func<ReminderEntry, bool> predicate)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<ReminderEntry>>([.. _rows.Values.Where(predicate)]);
        }
    }
}
