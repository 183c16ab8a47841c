using Actors.Orleans.Storage;
using Orleans.Runtime;

namespace Actors.Orleans.Tests.Storage;

/// <summary><see cref="GrainStreamName.TryParse"/> reads back what <see cref="GrainStreamNames"/> makes.</summary>
public sealed class GrainStreamNameTests
{
    [Fact]
    public void TryParse_StateStreamWithEscapedNames_ReturnsProviderStateAndGrain()
    {
        string streamId = GrainStreamNames.State("a/b%c", "pro/file", GrainId.Create("user", "ada/lovelace"));

        Assert.True(GrainStreamName.TryParse(streamId, out GrainStreamName name), streamId);
        Assert.Equal(new GrainStreamName(GrainStreamKind.State, "a/b%c", "pro/file", "user/ada/lovelace"), name);
    }

    [Fact]
    public void TryParse_JournalStream_ReturnsProviderAndGrain()
    {
        string streamId = GrainStreamNames.Journal("WriteAheadLog", GrainId.Create("account", "42"));

        Assert.True(GrainStreamName.TryParse(streamId, out GrainStreamName name), streamId);
        Assert.Equal(new GrainStreamName(GrainStreamKind.Journal, "WriteAheadLog", null, "account/42"), name);
    }

    [Theory]
    [InlineData("account/42")]
    [InlineData("s/provider/state")]
    [InlineData("j/provider/nokey")]
    [InlineData("x/provider/account/42")]
    [InlineData("j//account/42")]
    public void TryParse_NotAProviderStream_False(string streamId) => Assert.False(GrainStreamName.TryParse(streamId, out _));
}
