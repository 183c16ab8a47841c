using Actors.Replication.Messages;

namespace Actors.Replication.Protocol;

/// <summary>
/// A follower's append requests that arrived ahead of their predecessor, keyed by their previous offset, until the log
/// reaches them (the reasoning is on <see cref="Replica.MaxHeldRequests"/> and in Replica.Ahead.cs).
/// </summary>
/// <remarks>
/// Contract: the replica decides whether a request may be held at all (same leader and epoch, whole log matched, entries
/// carried); this class only keeps them: at most <see cref="Replica.MaxHeldRequests"/>, one per previous offset (the one
/// carrying more entries wins), handed back in order of previous offset once the log's end reaches it, and dropped
/// together by <see cref="Clear"/> on an epoch change, a new role, or a truncated or replaced log.
/// Not thread-safe: the replica's driver thread uses it.
/// </remarks>
internal sealed class HeldAppendRequests
{
    private readonly SortedDictionary<long, AppendRequest> _held = [];

    /// <summary>Requests held now.</summary>
    public int Count => _held.Count;

    /// <summary>
    /// Keeps <paramref name="request"/> (replacing a held one from the same previous offset when it carries at least as
    /// many entries); false, nothing kept, when <see cref="Replica.MaxHeldRequests"/> are held from other offsets.
    /// </summary>
    public bool TryHold(AppendRequest request)
    {
        if (_held.TryGetValue(request.PrevOffset, out var held))
        {
            // A resend from the same position: keep the one that carries more.
            if (request.Entries.Count >= held.Entries.Count)
            {
                _held[request.PrevOffset] = request;
            }

            return true;
        }

        if (_held.Count >= Replica.MaxHeldRequests)
        {
            return false;
        }

        _held.Add(request.PrevOffset, request);
        return true;
    }

    /// <summary>
    /// Removes and gives the held request of lowest previous offset when that offset is at or below
    /// <paramref name="logEndOffset"/>; false when none is held or the first still lies ahead.
    /// </summary>
    public bool TryTakeReached(long logEndOffset, out AppendRequest request)
    {
        if (_held.Count == 0)
        {
            request = null!;
            return false;
        }

        var (prevOffset, first) = _held.First();
        if (prevOffset > logEndOffset)
        {
            request = null!;
            return false;
        }

        _held.Remove(prevOffset);
        request = first;
        return true;
    }

    /// <summary>Drops every held request.</summary>
    public void Clear() => _held.Clear();
}
