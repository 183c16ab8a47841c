using Actors.Wal;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// The appends of a journaled grain's pending events whose outcome is unknown (they failed in a way that may have stored
/// them), all tried at one stream version: what decides, once a refresh shows what the stream holds after that version,
/// whether one of them was stored.
/// </summary>
/// <remarks>
/// An append is conditional on its expected version and atomic: when stored, its records are exactly the stream's records
/// from <see cref="ExpectedVersion"/> + 1 on, and nothing else can be stored at those versions. So when the records there
/// differ from every attempt's, none was stored and none can be later (the versions are taken). Equal bytes are not proof
/// the other way (another activation may have raised the same events): the caller treats a match as undecided.
/// </remarks>
internal sealed class InDoubtAppends
{
    private readonly List<ReadOnlyMemory<byte>[]> _attempts = [];

    /// <summary>The stream version every attempt expected (meaningful only while <see cref="Any"/>).</summary>
    public long ExpectedVersion { get; private set; } = -1;

    /// <summary>Whether an append of unknown outcome is still undecided.</summary>
    public bool Any => _attempts.Count > 0;

    /// <summary>The most records one attempt carried.</summary>
    public int MostRecords => _attempts.Count == 0 ? 0 : _attempts.Max(a => a.Length);

    /// <summary>Records an attempt of unknown outcome at <paramref name="expectedVersion"/>; attempts at another version are forgotten (decided before).</summary>
    public void Add(long expectedVersion, ReadOnlyMemory<byte>[] records)
    {
        if (expectedVersion != ExpectedVersion)
        {
            _attempts.Clear();
            ExpectedVersion = expectedVersion;
        }

        _attempts.Add(records);
    }

    /// <summary>Forgets every attempt: an append succeeded, or the stream showed none was stored.</summary>
    public void Clear()
    {
        _attempts.Clear();
        ExpectedVersion = -1;
    }

    /// <summary>
    /// Whether the stream's events from <see cref="ExpectedVersion"/> + 1 on (<paramref name="stored"/>, in version order)
    /// begin with one attempt's records, byte for byte: then that attempt may be what was stored.
    /// </summary>
    public bool AnyMatches(IReadOnlyList<StoredEvent> stored)
    {
        foreach (ReadOnlyMemory<byte>[] attempt in _attempts)
        {
            if (Matches(attempt, stored))
            {
                return true;
            }
        }

        return false;
    }

    private bool Matches(ReadOnlyMemory<byte>[] attempt, IReadOnlyList<StoredEvent> stored)
    {
        if (stored.Count < attempt.Length)
        {
            return false;
        }

        for (int i = 0; i < attempt.Length; i++)
        {
            if (stored[i].Version != ExpectedVersion + 1 + i || !stored[i].Payload.Span.SequenceEqual(attempt[i].Span))
            {
                return false;
            }
        }

        return true;
    }
}
