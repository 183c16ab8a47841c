using Actors.Orleans.Clustering.Tests.Grains;

namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>
/// Closed-loop load on ledger grains: each worker adds round numbers to its share of the keys in turn, one call at a time
/// per grain, never retried. An answered call's round is appended to the grain's list in <c>acknowledged</c> (locked on
/// that dictionary, so a test counts under the same lock); a failed call is recorded in <see cref="Failures"/>.
/// </summary>
internal sealed class LedgerLoad
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _failures = [];
    private readonly Task[] _workers;

    private LedgerLoad(Func<int, ILedgerGrain> grain, IReadOnlyList<int> keys, Dictionary<int, List<int>> acknowledged, int workers)
    {
        _workers = [.. Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (int round = 1; !_stop.IsCancellationRequested; round++)
            {
                for (int i = w; i < keys.Count; i += workers)
                {
                    try
                    {
                        await grain(keys[i]).Add(round);
                        lock (acknowledged)
                        {
                            acknowledged[keys[i]].Add(round);
                        }
                    }
                    catch (Exception ex)
                    {
                        lock (_failures)
                        {
                            _failures.Add($"grain {keys[i]} add {round}: {ex.GetType().Name}: {ex.Message}");
                        }
                    }
                }
            }
        }))];
    }

    /// <summary>The calls that failed so far, each naming its grain, its round and the error.</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_failures)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Starts <paramref name="workers"/> workers over <paramref name="keys"/>.</summary>
    public static LedgerLoad Start(Func<int, ILedgerGrain> grain, IReadOnlyList<int> keys, Dictionary<int, List<int>> acknowledged, int workers)
        => new(grain, keys, acknowledged, workers);

    /// <summary>Stops the workers after the calls in flight and waits for them.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }
}
