using System.Text;
using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;

namespace Actors.Replication.Tests.EventLog;

/// <summary>
/// The applier's decoding of committed entries (<see cref="ReplicatedOperationBatch.DecodeInto"/>): the same operations as
/// the public decoders, into a reused list, with stream ids from the applier's <see cref="StreamIdCache"/>.
/// </summary>
public sealed class ReplicatedOperationDecodingTests
{
    [Fact]
    public void DecodeInto_BatchAndSingleOperation_GiveThePublicDecodersFields()
    {
        var operations = Enumerable.Range(0, 4)
            .Select(i => new ReplicatedOperation((ReplicatedOperationKind)(i % 3 + 1), Guid.NewGuid(), $"s/{i}/é", 10 + i, i == 2 ? [] : Events($"e{i}", "")))
            .ToArray();
        var batch = ReplicatedOperationBatch.Encode(operations.Select(o => o.Encode()).ToArray());
        var decoded = new List<DecodedOperation>();
        var cache = new StreamIdCache();

        ReplicatedOperationBatch.DecodeInto(5, batch, decoded, cache);
        var expected = ReplicatedOperationBatch.Decode(5, batch);

        Assert.Equal(expected.Select(Fields), decoded.Select(d => Fields(new ReplicatedOperation(d.Kind, d.OperationId, d.StreamId, d.Version, d.Items))));
        ReplicatedOperationBatch.DecodeInto(6, operations[1].Encode(), decoded, cache);
        Assert.Equal(Fields(operations[1]), Fields(new ReplicatedOperation(decoded[0].Kind, decoded[0].OperationId, decoded[0].StreamId, decoded[0].Version, decoded[0].Items)));
        Assert.Single(decoded);
    }

    [Fact]
    public void DecodeInto_EveryTruncation_IsMalformedNamingTheLsnAndLeavesNothing()
    {
        var encoded = ReplicatedOperationBatch.Encode(
            [new ReplicatedOperation(ReplicatedOperationKind.Append, Guid.NewGuid(), "s/1", 1, Events("a")).Encode(),
             new ReplicatedOperation(ReplicatedOperationKind.Append, Guid.NewGuid(), "s/2", 4, Events("b")).Encode()]);
        var decoded = new List<DecodedOperation>();

        for (var length = 1; length < encoded.Length; length++)
        {
            var error = Assert.Throws<MalformedReplicatedOperationException>(() => ReplicatedOperationBatch.DecodeInto(12, encoded.AsMemory(0, length), decoded, new StreamIdCache()));
            Assert.Equal(12, error.Lsn);
            Assert.Empty(decoded);
        }
    }

    /// <summary>
    /// Issue 61: the applier decoded a new stream id string, an operation object and a list per entry on every replica.
    /// With the stream ids known, an entry of eight appends allocates their item arrays only (40 B each on 64-bit).
    /// </summary>
    [Fact]
    public void DecodeInto_KnownStreamIds_AllocatesOnlyTheItemArrays()
    {
        var payload = ReplicatedOperationBatch.Encode(Enumerable.Range(0, 8)
            .Select(i => new ReplicatedOperation(ReplicatedOperationKind.Append, Guid.NewGuid(), $"s/BenchmarkState/benchgrain/{i:D12}", i, Events("payload")).Encode())
            .ToArray());
        var decoded = new List<DecodedOperation>();
        var cache = new StreamIdCache();
        ReplicatedOperationBatch.DecodeInto(1, payload, decoded, cache);
        var streamIds = decoded.Select(d => d.StreamId).ToArray();

        long fewest = long.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            ReplicatedOperationBatch.DecodeInto(1, payload, decoded, cache);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.True(fewest <= 8 * 40, $"decoding an entry of 8 appends allocated {fewest} B (8 item arrays are 320 B)");
        Assert.Equal(streamIds, decoded.Select(d => d.StreamId));
        Assert.All(decoded, (d, i) => Assert.Same(streamIds[i], d.StreamId));
    }

    private static (ReplicatedOperationKind, Guid, string, long, string) Fields(ReplicatedOperation o) =>
        (o.Kind, o.OperationId, o.StreamId, o.Version, string.Join("|", o.Items.Select(i => Encoding.UTF8.GetString(i.Span))));

    private static ReadOnlyMemory<byte>[] Events(params string[] texts) => texts.Select(t => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(t)).ToArray();
}
