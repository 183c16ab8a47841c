namespace Actors.Wal.Reading;

/// <summary>What the read path's read-ahead has asked of the kernel since the log opened (any thread adds).</summary>
internal sealed class ReadAheadStatistics
{
    private long _advisedBytes;
    private long _advices;

    /// <summary>The bytes advised (posix_fadvise WILLNEED) so far.</summary>
    public long AdvisedBytes => Interlocked.Read(ref _advisedBytes);

    /// <summary>The advice calls made so far.</summary>
    public long Advices => Interlocked.Read(ref _advices);

    /// <summary>Counts one advice of <paramref name="bytes"/>.</summary>
    public void Add(long bytes)
    {
        Interlocked.Add(ref _advisedBytes, bytes);
        Interlocked.Increment(ref _advices);
    }
}
