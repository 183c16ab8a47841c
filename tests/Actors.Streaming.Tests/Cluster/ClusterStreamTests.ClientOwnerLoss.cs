using Actors.Client;
using Actors.Runtime;
using Actors.Streaming.Tests.Client;
using Actors.Streaming.Tests.Support;
using Actors.Streams;
using Actors.TestingHost;

namespace Actors.Streaming.Tests.Cluster;

/// <content>
/// A gateway client's subscriptions while the owner of their streams' partitions is killed (and restarted) or stopped
/// under a running produce load: the at-least-once contract of docs/streams.md, seen from one client instance.
/// </content>
public sealed partial class ClusterStreamTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ClientSubscriptions_OwnerKilledOrStoppedUnderLoad_ClientSeesEveryAcknowledgedEventOnceInOrder(bool kill)
    {
        var recorder = new DeliveryRecorder();
        await using TestCluster cluster = await StartAsync(3, recorder);
        await WaitForBalanceAsync(cluster);
        string[] streams = [.. Enumerable.Range(0, 8).Select(i => $"client-owner-loss{i}")];
        foreach (string key in streams)
        {
            await cluster.Client.GetStreamProvider(Provider).GetStream<int>(StreamId.Create(Namespace, key)).SubscribeAsync(new RecordingObserver(recorder, key));
        }

        Dictionary<string, string> owners = Owners(cluster, streams);
        SiloHandle victim = cluster.SecondarySilos.OrderByDescending(s => streams.Count(k => owners[k] == s.Name)).First();
        Assert.Contains(streams, k => owners[k] == victim.Name);

        await using var load = new ProduceLoad(cluster.Primary, streams);
        await load.WaitForAcknowledgedAsync(5);
        foreach (string key in streams)
        {
            await recorder.WaitForAsync(key, s => s.Count >= 3, "3 items before the owner goes");
        }

        // The owner goes with batches offered, taken or acknowledged and cursors unrecorded, while producing goes on
        // (refused for its partitions until they are served again: nothing stored for a refused produce).
        if (kill)
        {
            await cluster.KillSiloAsync(victim);
            await cluster.RestartSiloAsync(victim);
        }
        else
        {
            await cluster.StopSiloAsync(victim);
        }

        await WaitForBalanceAsync(cluster);
        if (!kill)
        {
            Assert.DoesNotContain(streams, k => Owners(cluster, [k])[k] == victim.Name);
        }

        await load.WaitForAcknowledgedAsync(load.MinimumAcknowledged() + 10);
        Dictionary<string, ProduceLoad.Outcome> produced = await load.StopAsync();

        foreach (string key in streams)
        {
            ProduceLoad.Outcome outcome = produced[key];
            IReadOnlyList<Delivery> seen = await recorder.WaitForAsync(key,
                s => outcome.Acknowledged.All(v => s.Any(d => d.What == $"item:{v}")), $"all {outcome.Acknowledged.Count} acknowledged items");

            // One client instance: each sequence number once, in order, no holes; values in the order produced; every
            // acknowledged value there, and nothing that was not produced (a value whose produce failed with an unknown
            // outcome may or may not be there).
            Assert.Equal(Enumerable.Range(1, seen.Count).Select(n => (long)n), seen.Select(d => d.SequenceNumber));
            int[] values = [.. seen.Select(d => int.Parse(d.What["item:".Length..], System.Globalization.CultureInfo.InvariantCulture))];
            Assert.Equal(values.Order(), values);
            Assert.Empty(outcome.Acknowledged.Except(values));
            Assert.Empty(values.Except(outcome.Acknowledged).Except(outcome.Uncertain));
        }
    }

    /// <summary>One producer per stream on <paramref name="producerSilo"/>, producing 1, 2, 3, ... until stopped.</summary>
    private sealed class ProduceLoad : IAsyncDisposable
    {
        private readonly Dictionary<string, Outcome> _outcomes;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _producers;

        public ProduceLoad(SiloHandle producerSilo, string[] streams)
        {
            _outcomes = streams.ToDictionary(k => k, _ => new Outcome());
            IStreamProvider provider = producerSilo.Services.GetStreamProvider(Provider);
            _producers = [.. streams.Select(key => Task.Run(() => ProduceAsync(provider.GetStream<int>(StreamId.Create(Namespace, key)), _outcomes[key])))];
        }

        public int MinimumAcknowledged()
        {
            lock (_outcomes)
            {
                return _outcomes.Values.Min(o => o.Acknowledged.Count);
            }
        }

        private string LastError()
        {
            lock (_outcomes)
            {
                return _outcomes.Values.Select(o => o.LastUncertainError?.Message).LastOrDefault(m => m is not null) ?? "none";
            }
        }

        /// <summary>Waits until every stream has at least <paramref name="count"/> acknowledged values.</summary>
        public async Task WaitForAcknowledgedAsync(int count)
        {
            DateTime deadline = DateTime.UtcNow + Patience;
            while (MinimumAcknowledged() < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"producers did not reach {count} acknowledged values per stream within {Patience} (at {MinimumAcknowledged()}; last failure with an unknown outcome: {LastError()})");
                Assert.DoesNotContain(_producers, p => p.IsFaulted);
                await Task.Delay(20);
            }
        }

        public async Task<Dictionary<string, Outcome>> StopAsync()
        {
            _stop.Cancel();
            await Task.WhenAll(_producers);
            lock (_outcomes)
            {
                return _outcomes.ToDictionary(p => p.Key, p => p.Value);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await Task.WhenAll(_producers).ContinueWith(_ => { }, TaskScheduler.Default);
            _stop.Dispose();
        }

        private async Task ProduceAsync(IAsyncStream<int> stream, Outcome outcome)
        {
            for (int value = 1; !_stop.IsCancellationRequested; value++)
            {
                while (true)
                {
                    try
                    {
                        await stream.OnNextAsync(value);
                        lock (_outcomes)
                        {
                            outcome.Acknowledged.Add(value);
                        }

                        break;
                    }
                    catch (PartitionUnavailableException)
                    {
                        if (_stop.IsCancellationRequested)
                        {
                            return;
                        }

                        await Task.Delay(20); // refused, nothing stored: the same value again
                    }
                    catch (Exception ex)
                    {
                        lock (_outcomes)
                        {
                            outcome.Uncertain.Add(value); // the owner went during the call: stored or not
                            outcome.LastUncertainError = ex;
                        }

                        break;
                    }
                }
            }
        }

        public sealed class Outcome
        {
            public List<int> Acknowledged { get; } = [];

            public List<int> Uncertain { get; } = [];

            public Exception? LastUncertainError { get; set; }
        }
    }
}
