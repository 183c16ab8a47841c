using Actors.Replication.Wal.EventLog;

namespace Actors.Replication.Tests.EventLog;

/// <summary>The leader's operation ids: a proposer finds its completion by id, so no two proposals may share one.</summary>
public sealed class OperationIdsTests
{
    [Fact]
    public async Task Next_FromConcurrentThreads_NeverRepeatsAnId()
    {
        const int PerThread = 20_000;
        var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var ids = new Guid[PerThread];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = OperationIds.Next();
            }

            return ids;
        })));

        var all = batches.SelectMany(ids => ids).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
    }

    [Fact]
    public void Next_TwoIds_ShareTheProcessHalfAndDifferInTheCounter()
    {
        var first = OperationIds.Next().ToByteArray();
        var second = OperationIds.Next().ToByteArray();

        Assert.Equal(first[..8], second[..8]);
        Assert.NotEqual(first[8..], second[8..]);
    }
}
