using System.Collections.Concurrent;
using Actors.Cluster.Tests.Grains;

namespace Actors.Cluster.Tests.Support;

/// <summary>
/// Writers that each deposit into their own account with increasing sequence numbers, one call at a time, recording
/// which deposits were acknowledged and which failed (outcome unknown), so a test can check every acknowledged one.
/// </summary>
public sealed class AccountWriters(IGrainFactory factory, int writers, string prefix)
{
    private readonly ConcurrentDictionary<string, List<long>> _acknowledged = new();
    private readonly ConcurrentDictionary<string, List<long>> _failed = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];

    public ConcurrentQueue<Exception> Errors { get; } = new();

    public long AcknowledgedCount => _acknowledged.Values.Sum(l => { lock (l) { return l.Count; } });

    public void Start()
    {
        for (int w = 0; w < writers; w++)
        {
            string account = $"{prefix}-{w}";
            _acknowledged[account] = [];
            _failed[account] = [];
            _tasks.Add(Task.Run(() => WriteAsync(account)));
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_tasks);
    }

    /// <summary>Checks every account: all acknowledged deposits are stored, in order, without duplicates; others only if they failed.</summary>
    public async Task VerifyAsync()
    {
        foreach ((string account, List<long> acknowledged) in _acknowledged)
        {
            AccountSnapshot stored = await factory.GetGrain<IAccountGrain>(account).Get();
            HashSet<long> failed = [.. _failed[account]];
            Assert.True(stored.Sequences.SequenceEqual(stored.Sequences.Distinct()), $"{account}: duplicate deposits stored: {string.Join(",", stored.Sequences)}");
            Assert.True(stored.Sequences.SequenceEqual(stored.Sequences.Order()), $"{account}: deposits out of order: {string.Join(",", stored.Sequences)}");
            long[] missing = acknowledged.Except(stored.Sequences).ToArray();
            Assert.True(missing.Length == 0, $"{account}: acknowledged deposits lost: {string.Join(",", missing)} (stored {stored.Sequences.Count}, acknowledged {acknowledged.Count})");
            long[] unexpected = stored.Sequences.Except(acknowledged).Where(s => !failed.Contains(s)).ToArray();
            Assert.True(unexpected.Length == 0, $"{account}: stored deposits never sent: {string.Join(",", unexpected)}");
            Assert.Equal(stored.Sequences.Count, stored.Version);
        }
    }

    private async Task WriteAsync(string account)
    {
        IAccountGrain grain = factory.GetGrain<IAccountGrain>(account);
        long sequence = 0;
        while (!_stop.IsCancellationRequested)
        {
            sequence++;
            try
            {
                await grain.Deposit(1, sequence);
                lock (_acknowledged[account])
                {
                    _acknowledged[account].Add(sequence);
                }
            }
            catch (Exception ex)
            {
                _failed[account].Add(sequence);
                Errors.Enqueue(ex);
                await Task.Delay(20);
            }
        }
    }
}
