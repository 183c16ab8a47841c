using System.Collections.Concurrent;

namespace Actors.Cluster.Routing;

/// <summary>
/// Where directory-placed grains were last served, so repeated calls skip the directory lookup. Bounded: past
/// <see cref="Capacity"/> entries it starts over. An entry may be stale; the silo it names routes the call onwards and the
/// response's "served by" corrects it. Thread-safe.
/// </summary>
internal sealed class LocationCache
{
    /// <summary>The most entries kept.</summary>
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<GrainId, string> _locations = new();

    public bool TryGet(GrainId grainId, out string silo) => _locations.TryGetValue(grainId, out silo!);

    public void Set(GrainId grainId, string silo)
    {
        if (_locations.Count >= Capacity)
        {
            _locations.Clear();
        }

        _locations[grainId] = silo;
    }

    public void Remove(GrainId grainId) => _locations.TryRemove(grainId, out _);

    /// <summary>Drops every entry naming <paramref name="silo"/> (it left or died).</summary>
    public void RemoveSilo(string silo)
    {
        foreach (KeyValuePair<GrainId, string> entry in _locations)
        {
            if (string.Equals(entry.Value, silo, StringComparison.Ordinal))
            {
                _locations.TryRemove(entry);
            }
        }
    }
}
