using Actors.Storage;

namespace Actors.Journaling;

/// <summary>The events of one in-memory journal.</summary>
internal sealed class MemoryJournalStream(GrainId grainId)
{
    private readonly List<object> _events = [];

    public object[] Snapshot()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    public void Append(long expectedVersion, object[] events)
    {
        lock (_events)
        {
            if (_events.Count != expectedVersion)
            {
                throw new InconsistentStateException(
                    $"Journal of grain {grainId} is at version {_events.Count}, not the expected {expectedVersion}.",
                    _events.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    expectedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            _events.AddRange(events);
        }
    }
}
