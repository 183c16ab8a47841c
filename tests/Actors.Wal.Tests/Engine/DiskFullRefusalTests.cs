using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// A full disk met when the log needs a new segment (creating or preallocating it) is a refusal the log recovers from by
/// itself; an I/O error there fails the log (docs/durability.md, "I/O fault matrix"; a failed directory sync:
/// <see cref="IoFaultMatrixTests"/>).
/// </summary>
public sealed class DiskFullRefusalTests : LogTestBase
{
    private const int EventBytes = 3000;

    [Fact]
    public async Task AppendAsync_NoSpaceForNextSegment_RefusedWhileReadsServeThenResumesOnceSpaceReturns()
    {
        var fs = Files;
        var acknowledged = new List<byte[]>();
        await using (var log = await OpenOnFilesAsync())
        {
            fs.SegmentCreationErrno = FaultInjectingFileSystem.EnospcErrno;
            LogDiskFullException refusal = await AppendUntilRefusedAsync<LogDiskFullException>(log, acknowledged);

            Assert.False(log.IsFailed, "a refused rotation must leave the log healthy");
            Assert.Contains("No space left on the device", refusal.Message, StringComparison.Ordinal);
            Assert.Contains(Dir.Path, refusal.Message, StringComparison.Ordinal);
            Assert.Contains("SegmentSizeBytes", refusal.Message, StringComparison.Ordinal);
            Assert.NotNull(log.GetStatistics().DiskFull);
            Assert.Equal(acknowledged.Count, log.GetStreamInfo("s").Version); // the refused append took no version
            await AssertStreamAsync(log, acknowledged);

            // Still full: the next append that needs a segment is refused again, nothing else changes.
            await Assert.ThrowsAsync<LogDiskFullException>(async () => await log.AppendAsync("s", acknowledged.Count, [Payload(acknowledged.Count)]));

            fs.SegmentCreationErrno = null;
            for (int i = 0; i < 20; i++)
            {
                byte[] payload = Payload(acknowledged.Count);
                await log.AppendAsync("s", acknowledged.Count, [payload]);
                acknowledged.Add(payload);
            }

            Assert.Null(log.GetStatistics().DiskFull);
            Assert.False(log.IsFailed);
            await AssertStreamAsync(log, acknowledged);
        }

        await using var reopened = await OpenAsync();
        await AssertStreamAsync(reopened, acknowledged);
    }

    [Fact]
    public async Task AppendAsync_IoErrorCreatingNextSegment_FailsTheLog()
    {
        var fs = Files;
        var acknowledged = new List<byte[]>();
        await using (var log = await OpenOnFilesAsync())
        {
            fs.SegmentCreationErrno = FaultInjectingFileSystem.EioErrno;
            LogFailedException failure = await AppendUntilRefusedAsync<LogFailedException>(log, acknowledged);

            Assert.Equal("rotate", failure.Operation);
            Assert.False(failure.IsDiskFull);
            Assert.True(log.IsFailed);
            await AssertStreamAsync(log, acknowledged);
        }

        await using var reopened = await OpenAsync();
        await AssertStreamAsync(reopened, acknowledged);
    }

    /// <summary>Appends events of <see cref="EventBytes"/> to stream <c>s</c> until one throws <typeparamref name="TException"/> (the log's 64 KiB segments fill after about 20).</summary>
    private static async Task<TException> AppendUntilRefusedAsync<TException>(WriteAheadLog log, List<byte[]> acknowledged)
        where TException : Exception
    {
        for (int i = 0; i < 200; i++)
        {
            byte[] payload = Payload(acknowledged.Count);
            try
            {
                await log.AppendAsync("s", acknowledged.Count, [payload]);
                acknowledged.Add(payload);
            }
            catch (TException ex)
            {
                return ex;
            }
        }

        throw new Xunit.Sdk.XunitException($"Expected a {typeof(TException).Name} within 200 appends of {EventBytes} B (about 10 segments); {acknowledged.Count} were acknowledged.");
    }

    private static byte[] Payload(int index)
    {
        var payload = new byte[EventBytes];
        new Random(index).NextBytes(payload);
        return payload;
    }

    private static async Task AssertStreamAsync(WriteAheadLog log, List<byte[]> acknowledged)
    {
        var read = await log.ReadStreamAsync("s");
        Assert.Equal(acknowledged.Count, read.Version);
        Assert.Equal(acknowledged.Count, read.Events.Count);
        for (int i = 0; i < acknowledged.Count; i++)
        {
            Assert.True(read.Events[i].Payload.Span.SequenceEqual(acknowledged[i]), $"event {i + 1} differs from the acknowledged one");
        }
    }
}
