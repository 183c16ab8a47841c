namespace Samples.Tests;

/// <summary>What the test silo registers under the name the JournaledTodoList grain gives its log-consistency provider (<c>LogStorage</c>).</summary>
public enum TodoJournal
{
    /// <summary>The write-ahead-log log-consistency provider: the journal is one stream of the log, one append per confirmed batch.</summary>
    WriteAheadLog,

    /// <summary>
    /// Orleans's own log-storage provider, which keeps the whole event list as grain state in the grain's
    /// <c>[StorageProvider]</c>: here a write-ahead-log grain storage. The grain is the same; only the silo differs.
    /// </summary>
    OrleansLogStorageOnWriteAheadLogStorage,
}
