using Actors.Wal.ChangeFeed;

namespace Actors.Wal;

public sealed partial class WriteAheadLog : ILogChangeFeed
{
    /// <inheritdoc />
    public IAsyncEnumerable<LogChange> ReadChangesAsync(ChangeFeedPosition from, bool follow = true, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var reader = new ChangeFeedReader(_options.Directory, _segments, _maxRecordLength, _committer, _health, () => Volatile.Read(ref _state) != StateOpen, () => DurableLsn) { Cipher = _cipher };
        return reader.ReadAsync(from, follow, cancellationToken);
    }

    /// <summary>
    /// Registers a reader whose changes after <paramref name="position"/> the log keeps: no segment holding them is
    /// deleted or compacted until the reader advances past it (<see cref="ChangeFeedRetention.Advance"/>), up to
    /// <see cref="WriteAheadLogOptions.MaxChangeFeedRetainedBytes"/> held bytes, past which the reader is dropped.
    /// </summary>
    /// <remarks>
    /// The registration is persisted in the log directory and restored when the log reopens (see
    /// <see cref="ChangeFeedRetention"/>): the name identifies it, and registering a name already registered (restored
    /// after a restart, or registered earlier) returns that registration, moved to <paramref name="position"/> if later.
    /// </remarks>
    /// <param name="readerName">The reader's name: its identity across restarts (in logs and errors too).</param>
    /// <param name="position">The reader's stored position (<see cref="ChangeFeedPosition.Beginning"/> for a new reader that wants everything).</param>
    /// <exception cref="ChangeFeedPositionException"><paramref name="position"/> lies beyond the log's durable end.</exception>
    /// <exception cref="IOException">The registration could not be stored (it holds segments in this process; a later pass stores it).</exception>
    public ChangeFeedRetention RetainChanges(string readerName, ChangeFeedPosition position)
    {
        ArgumentException.ThrowIfNullOrEmpty(readerName);
        ThrowIfClosed();
        long durable = DurableLsn;
        if (position.Lsn > durable)
        {
            throw new ChangeFeedPositionException(_options.Directory, position, durable, "the position lies beyond the log's durable end");
        }

        return _retentions.Add(readerName, position);
    }
}
