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
    /// <param name="readerName">The reader's name (in logs and errors).</param>
    /// <param name="position">The reader's stored position (<see cref="ChangeFeedPosition.Beginning"/> for a new reader that wants everything).</param>
    /// <exception cref="ChangeFeedPositionException"><paramref name="position"/> lies beyond the log's durable end.</exception>
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
