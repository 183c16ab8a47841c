using System.Text;
using Actors.Replication.Wal.EventLog;

namespace Actors.Replication.Tests.EventLog;

/// <summary>The applier's cache of decoded stream ids: a hit is the same string, never another id's.</summary>
public sealed class StreamIdCacheTests
{
    [Fact]
    public void Get_SameBytesTwice_ReturnsTheSameString()
    {
        var cache = new StreamIdCache();
        var first = cache.Get("s/Default/state/grain/1"u8);

        var second = cache.Get("s/Default/state/grain/1"u8);

        Assert.Equal("s/Default/state/grain/1", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Get_ManyIdsSharingSlots_EachDecodesToItsOwnString()
    {
        var cache = new StreamIdCache();
        var ids = Enumerable.Range(0, StreamIdCache.Capacity * 4).Select(i => $"s/p/state/grain/{i}/ü").ToArray();

        for (var round = 0; round < 2; round++)
        {
            foreach (var id in ids)
            {
                Assert.Equal(id, cache.Get(Encoding.UTF8.GetBytes(id)));
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x73, 0x2F, 0xC3 })]
    [InlineData(new byte[] { 0x73, 0xFF, 0xFE, 0x2F })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void Get_InvalidUtf8_DecodesAsEncodingUtf8AndNeverMatchesAnotherId(byte[] invalid)
    {
        var cache = new StreamIdCache();
        var replaced = Encoding.UTF8.GetString(invalid);
        var valid = Encoding.UTF8.GetBytes(replaced);

        Assert.Equal(replaced, cache.Get(invalid));
        Assert.Equal(replaced, cache.Get(invalid));
        Assert.Equal(replaced, cache.Get(valid));
    }

    [Fact]
    public void Get_IdLongerThanTheCachedLimit_StillDecodes()
    {
        var cache = new StreamIdCache();
        var id = "s/" + new string('x', 1000);

        Assert.Equal(id, cache.Get(Encoding.UTF8.GetBytes(id)));
        Assert.Equal(id, cache.Get(Encoding.UTF8.GetBytes(id)));
    }
}
