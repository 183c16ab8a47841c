using Actors.Wal.Writing;

namespace Actors.Wal.Tests.Interleaving;

/// <summary>
/// The interleavings of <see cref="HandOffQueue{T}"/>'s producers with its consumer (the committer's loop: take
/// everything, else wait for work), explored step by step: all of them with one producer, those with up to
/// <see cref="PreemptionBound"/> preemptions with two producers or a close: no pushed item is ever left behind a consumer
/// that sleeps, and a close never strands an item whose push succeeded.
/// </summary>
public sealed class HandOffQueueInterleavingTests
{
    private const int PreemptionBound = 2;

    [Theory]
    [InlineData(1, int.MaxValue)]
    [InlineData(2, PreemptionBound)]
    public void WaitForWork_EveryInterleavingWithProducers_NoWakeUpIsLost(int producers, int preemptionBound)
    {
        int woken = 0;
        int foundBySecondLook = 0;
        var result = InterleavingExplorer.Explore(scheduler =>
        {
            var signal = new ScheduledWakeSignal(scheduler);
            var queue = new HandOffQueue<Item>(static () => new Item(isCloseMarker: true), signal: signal, probe: scheduler);
            int received = 0;
            scheduler.Spawn("consumer", () =>
            {
                while (received < producers)
                {
                    var chain = queue.TakeAll(out _);
                    if (chain is null)
                    {
                        scheduler.Step("took nothing");
                        queue.WaitForWork();
                        continue;
                    }

                    received += Count(chain);
                }
            });
            for (int p = 0; p < producers; p++)
            {
                scheduler.Spawn($"producer {p}", () => Assert.True(queue.TryEnqueue(new Item(isCloseMarker: false))));
            }

            // The consumer ends only once it took every item: a lost wake-up shows as a deadlock (the explorer's failure).
            return () =>
            {
                woken += signal.Blocks > 0 ? 1 : 0;
                foundBySecondLook += scheduler.Trace.Contains("consumer: AfterAnnounceSleep") && signal.Blocks == 0
                    && !scheduler.Trace.Contains("consumer: BeforeBlock") ? 1 : 0;
            };
        }, preemptionBound);

        Assert.True(result.Failure is null, result.ToString());
        Assert.True(result.Exhaustive, result.ToString());
        // Both races were among the executions: a consumer that slept and was woken, and one whose look after announcing
        // its sleep found the item (the step without which the first kind could lose the wake-up).
        Assert.True(woken > 0, $"no execution had the consumer blocked and woken ({result})");
        Assert.True(foundBySecondLook > 0, $"no execution had the consumer's second look find the item ({result})");
    }

    [Fact]
    public void Close_EveryInterleavingWithAPush_ConsumerTakesEveryAcceptedItemBeforeItSeesTheClose()
    {
        var result = InterleavingExplorer.Explore(scheduler =>
        {
            var signal = new ScheduledWakeSignal(scheduler);
            var queue = new HandOffQueue<Item>(static () => new Item(isCloseMarker: true), signal: signal, probe: scheduler);
            int received = 0;
            bool accepted = false;
            scheduler.Spawn("consumer", () =>
            {
                while (true)
                {
                    var chain = queue.TakeAll(out bool closed);
                    received += Count(chain);
                    if (closed)
                    {
                        return;
                    }

                    if (chain is null)
                    {
                        scheduler.Step("took nothing");
                        queue.WaitForWork();
                    }
                }
            });
            scheduler.Spawn("producer", () => accepted = queue.TryEnqueue(new Item(isCloseMarker: false)));
            scheduler.Spawn("closer", () =>
            {
                scheduler.Step("closes");
                queue.Close();
            });
            return () => Assert.Equal(accepted ? 1 : 0, received);
        }, PreemptionBound);

        Assert.True(result.Failure is null, result.ToString());
        Assert.True(result.Exhaustive, result.ToString());
    }

    private static int Count(Item? chain)
    {
        int count = 0;
        for (var item = chain; item is not null; item = item.Next)
        {
            count++;
        }

        return count;
    }

    private sealed class Item(bool isCloseMarker) : IHandOffItem<Item>
    {
        public Item? Next { get; set; }

        public bool IsCloseMarker { get; } = isCloseMarker;
    }
}
