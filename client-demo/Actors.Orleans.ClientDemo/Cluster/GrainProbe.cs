using Actors.Orleans.ClientDemo.Workload;
using Actors.Orleans.Demo.Grains.Accounts;
using Actors.Orleans.Demo.Grains.Customers;

namespace Actors.Orleans.ClientDemo.Cluster;

/// <summary>
/// Waits until a grain serves again: reads it (an account's balance, a customer's summary) under its ledger gate until
/// a read answers, unless a workload call sent since the moment of interest was answered first.
/// </summary>
/// <remarks>
/// A read changes nothing the ledger tracks: an account without a call in doubt has no transfer pending, and one with a
/// call in doubt only gets that call's pending transfer settled, the same effect the verifier's activation has. The
/// probe holds the grain's gate, so it never interleaves with a workload call on the same grain.
/// </remarks>
internal sealed class GrainProbe
{
    /// <summary>The pause between two failed reads of one grain.</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);
    private readonly IGrainFactory _grains;
    private readonly GrainTimeline _timeline;
    private readonly Dictionary<string, SemaphoreSlim> _accounts;
    private readonly Dictionary<string, SemaphoreSlim> _customers;

    public GrainProbe(IGrainFactory grains, Ledger ledger, GrainTimeline timeline)
    {
        _grains = grains;
        _timeline = timeline;
        _accounts = ledger.Accounts.ToDictionary(a => a.Id, a => a.Gate, StringComparer.Ordinal);
        _customers = ledger.Customers.ToDictionary(c => c.Id, c => c.Gate, StringComparer.Ordinal);
    }

    /// <summary>Whether <paramref name="grain"/> is one of the run's accounts or customers.</summary>
    public bool Knows(string grain) => _accounts.ContainsKey(grain) || _customers.ContainsKey(grain);

    /// <summary>
    /// The wall-clock time (Unix ms) at which <paramref name="grain"/> first answered a call sent at or after
    /// <paramref name="since"/>; reads it until then. <paramref name="lastError"/> receives each failed read's error.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task<long> FirstAnswerAsync(string grain, long since, Action<Exception>? lastError, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = _accounts.TryGetValue(grain, out SemaphoreSlim? account) ? account : _customers[grain];
        while (true)
        {
            if (_timeline.FirstAnsweredSince(grain, since) is { } answered)
            {
                return answered;
            }

            await gate.WaitAsync(cancellationToken);
            try
            {
                if (_timeline.FirstAnsweredSince(grain, since) is { } meanwhile)
                {
                    return meanwhile;
                }

                long sent = GrainTimeline.Now();
                try
                {
                    await ReadAsync(grain).WaitAsync(cancellationToken);
                    return _timeline.Answered(grain, sent);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
                {
                    lastError?.Invoke(ex);
                }
            }
            finally
            {
                gate.Release();
            }

            await Task.Delay(RetryPause, cancellationToken);
        }
    }

    private Task ReadAsync(string grain) => _accounts.ContainsKey(grain)
        ? _grains.GetGrain<IAccountGrain>(grain).GetBalance()
        : _grains.GetGrain<ICustomerGrain>(grain).GetSummary();
}
