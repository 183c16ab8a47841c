using System.Globalization;
using Actors.Storage;

namespace Actors.Journaling;

/// <summary>The events of one in-memory journal, and the checkpoint an erase leaves.</summary>
/// <remarks>Thread-safe. Erased events are dropped (their slots hold null); the stream's version is unchanged.</remarks>
internal sealed class MemoryJournalStream(GrainId grainId)
{
    private readonly List<object?> _events = [];
    private long _erasedTo;
    private (byte[] State, long Version)? _checkpoint;

    public GrainId GrainId => grainId;

    /// <summary>The serialized state and version of the checkpoint an erase wrote, or null.</summary>
    public (byte[] State, long Version)? Checkpoint
    {
        get
        {
            lock (_events)
            {
                return _checkpoint;
            }
        }
    }

    /// <summary>The events (erased ones null) and the newest erased version.</summary>
    public (object?[] Events, long ErasedTo) Snapshot()
    {
        lock (_events)
        {
            return ([.. _events], _erasedTo);
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
                    _events.Count.ToString(CultureInfo.InvariantCulture),
                    expectedVersion.ToString(CultureInfo.InvariantCulture));
            }

            _events.AddRange(events);
        }
    }

    /// <summary>Keeps <paramref name="state"/> as the checkpoint at <paramref name="version"/>, then drops the events up to <paramref name="toVersion"/>.</summary>
    /// <exception cref="InconsistentStateException">The journal is not at <paramref name="version"/> (another writer); nothing changed.</exception>
    public void Erase(byte[] state, long version, long toVersion)
    {
        lock (_events)
        {
            if (_events.Count != version)
            {
                throw new InconsistentStateException(
                    $"Journal of grain {grainId} is at version {_events.Count}, not the confirmed version {version} its history erase was asked at.",
                    _events.Count.ToString(CultureInfo.InvariantCulture),
                    version.ToString(CultureInfo.InvariantCulture));
            }

            _checkpoint = (state, version);
            for (long v = _erasedTo + 1; v <= toVersion; v++)
            {
                _events[(int)(v - 1)] = null;
            }

            _erasedTo = Math.Max(_erasedTo, toVersion);
        }
    }
}
