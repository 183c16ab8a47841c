using Actors.Wal.Index;
using Actors.Wal.Writing;

namespace Actors.Wal.Tests.Engine;

public sealed class WriterStreamKeyTests
{
    private static WriterStreamKey KeyOf(string id) => new(id, StreamHash.Compute(System.Text.Encoding.UTF8.GetBytes(id)));

    [Fact]
    public void Equals_SameIdFromTwoStrings_EqualWithTheSameHashCode()
    {
        string id = "account/42";
        string copy = new(id.AsSpan()); // another instance: the writer sees each caller's own string

        Assert.False(ReferenceEquals(id, copy));
        Assert.Equal(KeyOf(id), KeyOf(copy));
        Assert.Equal(KeyOf(id).GetHashCode(), KeyOf(copy).GetHashCode());
    }

    [Fact]
    public void Equals_DifferentIdsWithTheSameHash_NotEqual()
    {
        // The hash only filters: two streams whose hashes collide stay two keys.
        var first = new WriterStreamKey("account/1", 7);
        var second = new WriterStreamKey("account/2", 7);

        Assert.NotEqual(first, second);
        var streams = new Dictionary<WriterStreamKey, int> { [first] = 1, [second] = 2 };
        Assert.Equal(1, streams[new WriterStreamKey("account/1", 7)]);
        Assert.Equal(2, streams[new WriterStreamKey("account/2", 7)]);
    }

    [Fact]
    public void GetHashCode_StreamHashesThatFoldToOneValue_SpreadOverManyCodes()
    {
        // 1,000 stream hashes whose two halves are equal: each folds to 0 under high ^ low, the crafting a public,
        // unseeded hash allows. Mixed with the process's secret they must not share a code (a dictionary's bucket).
        var codes = Enumerable.Range(1, 1000)
            .Select(i => new WriterStreamKey($"account/{i}", ((ulong)i << 32) | (uint)i).GetHashCode())
            .ToHashSet();

        Assert.True(codes.Count >= 990, $"{codes.Count} distinct codes of 1,000");
    }

    [Fact]
    public void Equals_SameIdWithAnotherHash_NotEqual()
    {
        Assert.NotEqual(new WriterStreamKey("account/1", 7), new WriterStreamKey("account/1", 8));
    }
}
