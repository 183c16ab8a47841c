using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>The "Using the engine" example of docs/wal-format.md, kept compiling and true.</summary>
public sealed class DocsExampleTests : LogTestBase
{
    [Fact]
    public async Task UsingTheEngine_Example_BehavesAsDocumented()
    {
        await using var log = await WriteAheadLog.OpenAsync(new WriteAheadLogOptions
        {
            Directory = Dir.Path,
            SyncPolicy = SyncPolicy.Always,
        });

        AppendResult appended = await log.AppendAsync(
            "account/42",
            ExpectedVersion.NoStream,
            new ReadOnlyMemory<byte>[] { "deposited 100"u8.ToArray(), "withdrew 30"u8.ToArray() });
        Assert.Equal(1, appended.FirstVersion);
        Assert.Equal(2, appended.LastVersion);

        await log.WriteCheckpointAsync("account/42", appended.LastVersion, "balance=70"u8.ToArray());
        await log.AppendAsync("account/42", expectedVersion: 2, new ReadOnlyMemory<byte>[] { "deposited 5"u8.ToArray() });

        StreamReadResult state = await log.ReadStreamAsync("account/42");
        Assert.Equal(2, state.Checkpoint!.Version);
        Assert.Single(state.Events);
        Assert.Equal(3, state.Version);

        StreamReadResult asOfV1 = await log.ReadStreamAsync("account/42", ReadBound.AtVersion(1));
        Assert.Equal(["deposited 100"], asOfV1.Events.Select(e => Text(e.Payload)));
    }
}
