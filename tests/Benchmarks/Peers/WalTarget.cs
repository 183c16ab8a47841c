using Actors.Wal;

namespace Actors.Benchmarks.Peers;

/// <summary>
/// The Actors log: each writer appends one-event batches to its own stream with the expected version checked,
/// in a fresh log directory. Counters come from <see cref="IEventLog.GetStatistics"/>.
/// </summary>
internal sealed class WalTarget : IAppendTarget
{
    private readonly Func<CancellationToken, ValueTask<IEventLog>> _open;
    private readonly string _name;
    private IEventLog? _log;
    private string[] _streams = [];
    private ReadOnlyMemory<byte>[][] _batches = [];

    public WalTarget(string name, Func<CancellationToken, ValueTask<IEventLog>> open)
    {
        _name = name;
        _open = open;
    }

    public string Name => _name;

    public bool IsBlocking => false;

    public async ValueTask PrepareAsync(int writers, CancellationToken cancellationToken)
    {
        _log = await _open(cancellationToken);
        _streams = new string[writers];
        _batches = new ReadOnlyMemory<byte>[writers][];
        for (int w = 0; w < writers; w++)
        {
            _streams[w] = $"s/{w}";
            _batches[w] = new ReadOnlyMemory<byte>[1];
        }
    }

    public async ValueTask AppendAsync(int writer, long version, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        // One array per writer: a writer has one append in flight, and the log copies the payload before completing.
        ReadOnlyMemory<byte>[] batch = _batches[writer];
        batch[0] = payload;
        await _log!.AppendAsync(_streams[writer], version - 1, batch, cancellationToken);
    }

    public ValueTask<SyncCounters?> ReadCountersAsync(CancellationToken cancellationToken)
    {
        if (_log is null)
        {
            return ValueTask.FromResult<SyncCounters?>(null);
        }

        LogStatistics stats = _log.GetStatistics();
        return ValueTask.FromResult<SyncCounters?>(new SyncCounters(stats.AppendedRecords, stats.Commits, stats.Fsyncs));
    }

    public async ValueTask DisposeAsync()
    {
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }
}
