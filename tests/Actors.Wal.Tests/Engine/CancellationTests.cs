using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>A token already cancelled at the call: OperationCanceledException and nothing enqueued or written.</summary>
public sealed class CancellationTests : LogTestBase
{
    [Fact]
    public async Task AppendAsync_TokenAlreadyCancelled_ThrowsAndWritesNothing()
    {
        await using var log = await OpenAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await log.AppendAsync("s", 0, Events("1"), cts.Token));
        await log.FlushAsync();

        Assert.Equal(0, log.WrittenLsn);
        Assert.Equal(StreamInfo.Empty, log.GetStreamInfo("s"));
        Assert.Equal(1, (await log.AppendAsync("s", 0, Events("1"))).LastVersion);
    }

    [Fact]
    public async Task WriteCheckpointAsync_TokenAlreadyCancelled_ThrowsAndWritesNothing()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1"));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await log.WriteCheckpointAsync("s", 1, Bytes("cp"), cts.Token));
        await log.FlushAsync();

        Assert.Equal(1, log.WrittenLsn);
        Assert.Null((await log.ReadStreamAsync("s")).Checkpoint);
    }

    [Fact]
    public async Task DeleteStreamAsync_TokenAlreadyCancelled_ThrowsAndWritesNothing()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1"));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await log.DeleteStreamAsync("s", 1, cts.Token));
        await log.FlushAsync();

        Assert.Equal(1, log.WrittenLsn);
        Assert.False(log.GetStreamInfo("s").IsDeleted);
    }
}
