namespace Actors.Wal.Tests;

public sealed class StreamIdTests
{
    [Theory]
    [InlineData("account/42", 10)]
    [InlineData("é", 2)]
    public void Validate_ValidId_ReturnsUtf8Length(string id, int expected)
    {
        Assert.Equal(expected, StreamId.Validate(id));
    }

    [Fact]
    public void Validate_Empty_ThrowsInvalidStreamId()
    {
        Assert.Throws<InvalidStreamIdException>(() => StreamId.Validate(""));
    }

    [Fact]
    public void Validate_UnpairedSurrogate_ThrowsInvalidStreamId()
    {
        var ex = Assert.Throws<InvalidStreamIdException>(() => StreamId.Validate("a\ud800b"));
        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TooLong_ThrowsInvalidStreamId()
    {
        var ex = Assert.Throws<InvalidStreamIdException>(() => StreamId.Validate(new string('x', StreamId.MaxByteLength + 1)));
        Assert.Contains("1024", ex.Message, StringComparison.Ordinal);
    }
}
