namespace Actors.Persistence.Wal.Format;

/// <summary>What a grain record in a stream holds.</summary>
public enum GrainRecordKind : byte
{
    /// <summary>An event of the grain's journal (a <c>JournaledGrain</c>).</summary>
    JournalEvent = 1,

    /// <summary>The full new value of one named persistent state.</summary>
    StateWrite = 2,

    /// <summary>One named persistent state was cleared.</summary>
    StateClear = 3,
}
