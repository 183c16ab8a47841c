using Actors.Orleans.Storage;
using Actors.Wal;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// The appends of a journaled grain's pending events whose outcome is unknown (they failed in a way that may have stored
/// them), all tried at one stream version: what decides, once a refresh shows what the stream holds after that version,
/// whether one of them was stored.
/// </summary>
/// <remarks>
/// <para>Orleans's adaptor appends a batch again whenever <c>WriteAsync</c> returns 0, and keeps a batch pending (to be
/// written by the next work cycle) when it throws. An append that failed after its records became durable (an I/O error
/// during the write or fsync, a replicated append whose commit was not confirmed) is seen by the refresh that follows: its
/// events are then in the confirmed view, and appending the batch again would store them twice. So after such a failure
/// the refresh decides (<see cref="NoneStoredAsync"/>): the stream still at the version the append expected means nothing
/// was stored yet (a retry there is conditional: at most one of the attempts is ever stored); the stream moved on with other
/// records means none was stored; the stream moved on with records equal to an attempt's cannot be told from another
/// writer raising the same events, so the write cycle ends with an outcome-unknown error
/// (<see cref="ActivationRefusal.Undecided"/>), nothing more is stored by the activation, and it is deactivated: the next
/// activation reads what the stream holds.</para>
/// <para>An append is conditional on its expected version and atomic: when stored, its records are exactly the stream's records
/// from <see cref="ExpectedVersion"/> + 1 on, and nothing else can be stored at those versions. So when the records there
/// differ from every attempt's, none was stored and none can be later (the versions are taken). Equal bytes are not proof
/// the other way (another activation may have raised the same events): the caller treats a match as undecided.</para>
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
    /// After an append of unknown outcome and a successful refresh that brought the grain to <paramref name="streamVersion"/>:
    /// true when no attempt was stored (then the batch may be appended again; the attempts are forgotten when other records
    /// hold their versions), false when the stream cannot tell (equal records there, or the records that would tell are
    /// gone or unreadable).
    /// </summary>
    public async Task<bool> NoneStoredAsync(JournalSettings settings, long streamVersion)
    {
        long expected = ExpectedVersion;
        if (streamVersion == expected)
        {
            return true; // nothing stored after the version the attempts expected: each retry there is conditional
        }

        if (streamVersion < expected)
        {
            return false;
        }

        IReadOnlyList<StoredEvent> after;
        try
        {
            after = await (await settings.GetLogAsync().ConfigureAwait(false))
                .ReadEventsAsync(settings.StreamId, expected + 1, Math.Min(streamVersion, expected + MostRecords)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is EventsReclaimedException or WalException or WriteAheadLogProviderException)
        {
            return false; // the records that would tell are gone or unreadable
        }

        if (AnyMatches(after))
        {
            return false;
        }

        Clear(); // other records hold the versions the attempts expected: none was stored, none can be later
        return true;
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
