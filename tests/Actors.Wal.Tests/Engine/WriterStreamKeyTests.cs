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
    public void Equals_SameIdWithAnotherHash_NotEqual()
    {
        Assert.NotEqual(new WriterStreamKey("account/1", 7), new WriterStreamKey("account/1", 8));
    }
}
