using System.Text;
using Actors.Replication.Wal.Materialized;

namespace Actors.Replication.Tests.Hosting;

public sealed class MaterializedLogArchiveTests
{
    [Fact]
    public void Read_WhatWriteWrote_ReturnsTheSameFilesInOrder()
    {
        (string, byte[])[] files = [("00000001.seg", Encoding.UTF8.GetBytes("records")), ("segments.manifest", [1, 2, 3]), ("empty", [])];
        (string, ReadOnlyMemory<byte>)[] packed = [.. files.Select(f => (f.Item1, (ReadOnlyMemory<byte>)f.Item2))];

        var read = MaterializedLogArchive.Read(MaterializedLogArchive.Write(packed));

        Assert.Equal(files.Select(f => f.Item1), read.Select(f => f.Name));
        Assert.Equal(files.Select(f => f.Item2), read.Select(f => f.Content.ToArray()));
    }

    [Fact]
    public void Read_EveryTruncation_ThrowsFormatException()
    {
        var state = MaterializedLogArchive.Write([("a", new byte[] { 1, 2, 3, 4 }), ("b", new byte[] { 5 })]);

        for (var length = 0; length < state.Length; length++)
        {
            Assert.Throws<FormatException>(() => MaterializedLogArchive.Read(state.AsMemory(0, length)));
        }
    }

    [Fact]
    public void SizeOf_TheFilesWritten_IsTheStateLength()
    {
        var state = MaterializedLogArchive.Write([("a", new byte[] { 1, 2, 3, 4 }), ("é.seg", new byte[] { 5 })]);

        Assert.Equal(state.Length, MaterializedLogArchive.SizeOf([("a", 4), ("é.seg", 1)]));
    }

    [Fact]
    public void Read_TrailingBytesOrOtherVersion_ThrowsFormatException()
    {
        var state = MaterializedLogArchive.Write([("a", new byte[] { 1 })]);
        var trailing = state.Append((byte)0).ToArray();
        var otherVersion = state.ToArray();
        otherVersion[4] = 2;

        Assert.Throws<FormatException>(() => MaterializedLogArchive.Read(trailing));
        Assert.Contains("version 2", Assert.Throws<FormatException>(() => MaterializedLogArchive.Read(otherVersion)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("dir/file")]
    [InlineData("..")]
    [InlineData("")]
    public void Write_NameThatIsNotAPlainFileName_Throws(string name)
        => Assert.Throws<ArgumentException>(() => MaterializedLogArchive.Write([(name, new byte[] { 1 })]));
}
