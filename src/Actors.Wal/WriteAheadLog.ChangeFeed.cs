using Actors.Wal.ChangeFeed;

namespace Actors.Wal;

public sealed partial class WriteAheadLog : ILogChangeFeed
{
    /// <inheritdoc />
    public IAsyncEnumerable<LogChange> ReadChangesAsync(ChangeFeedPosition from, bool follow = true, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var reader = new ChangeFeedReader(_options.Directory, _segments, _maxRecordLength, _committer, _health, () => Volatile.Read(ref _state) != StateOpen, () => DurableLsn);
        return reader.ReadAsync(from, follow, cancellationToken);
    }
}
