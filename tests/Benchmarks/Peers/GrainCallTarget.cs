using Actors.Demo.Grains.Accounts;
using Actors.Wal;

namespace Actors.Benchmarks.Peers;

/// <summary>
/// Journaled grain calls: writer i calls <see cref="IBankAccountGrain.Deposit"/> on its own account grain; each
/// call raises one event and returns after ConfirmEvents (durable under the store's policy). Counters come from
/// the silo's log.
/// </summary>
internal sealed class GrainCallTarget : IAppendTarget
{
    private readonly IGrainFactory _factory;
    private readonly string _prefix;
    private readonly IEventLog? _log;
    private IBankAccountGrain[] _grains = [];

    public GrainCallTarget(string name, IGrainFactory factory, string prefix, IEventLog? log)
    {
        Name = name;
        _factory = factory;
        _prefix = prefix;
        _log = log;
    }

    public string Name { get; }

    public bool IsBlocking => false;

    public async ValueTask PrepareAsync(int writers, CancellationToken cancellationToken)
    {
        _grains = new IBankAccountGrain[writers];
        for (int w = 0; w < writers; w++)
        {
            _grains[w] = _factory.GetGrain<IBankAccountGrain>($"{_prefix}-{w}");
        }

        // Activate every grain before the clock starts.
        await Task.WhenAll(_grains.Select(g => g.GetBalance()));
    }

    public async ValueTask AppendAsync(int writer, long version, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        await _grains[writer].Deposit(1m, "bench");

    public ValueTask<SyncCounters?> ReadCountersAsync(CancellationToken cancellationToken)
    {
        if (_log is null)
        {
            return ValueTask.FromResult<SyncCounters?>(null);
        }

        LogStatistics stats = _log.GetStatistics();
        return ValueTask.FromResult<SyncCounters?>(new SyncCounters(stats.AppendedRecords, stats.Commits, stats.Fsyncs));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
