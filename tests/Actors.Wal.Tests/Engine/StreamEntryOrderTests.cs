using Actors.Wal.Index;

namespace Actors.Wal.Tests.Engine;

public sealed class StreamEntryOrderTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        // run length, tail length, hash range (small ranges force equal hashes)
        { 0, 0, 10 },
        { 1, 0, 10 },
        { 1000, 0, 1_000_000 },
        { 1000, 1, 1_000_000 },
        { 1000, 37, 1_000_000 },
        { 1000, 37, 5 },
        { 0, 500, 1_000_000 },
        { 1, 500, 50 },
        { 3, 2000, 1_000_000 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SortByHash_SortedRunThenUnsortedTail_AscendingPermutationOfTheInput(int runLength, int tailLength, int hashRange)
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var run = Enumerable.Range(0, runLength).Select(_ => (ulong)random.Next(hashRange)).Order();
            var tail = Enumerable.Range(0, tailLength).Select(_ => (ulong)random.Next(hashRange));

            // Version tags each entry, so the result can be checked to hold exactly the input entries.
            StreamEntry[] entries = run.Concat(tail).Select((hash, i) => StreamEntry.CreateNew(hash) with { Version = i }).ToArray();
            var expected = entries.Select(e => (e.Hash, e.Version)).Order().ToArray();

            StreamEntryOrder.SortByHash(entries);

            for (int i = 1; i < entries.Length; i++)
            {
                Assert.True(entries[i - 1].Hash <= entries[i].Hash, $"seed {seed}: not ascending at {i}");
            }

            Assert.Equal(expected, entries.Select(e => (e.Hash, e.Version)).Order().ToArray());
        }
    }

    [Fact]
    public void LoadIdle_UnsortedEntries_FindsEveryStreamByHash()
    {
        var index = new StreamIndex();
        index.LoadIdle([.. new ulong[] { 50, 10, 40, 20, 30 }.Select(hash => StreamEntry.CreateNew(hash) with { Version = (long)hash })]);

        Assert.Equal([10UL, 20, 30, 40, 50], index.Current.Idle.Take(index.Current.IdleCount).Select(e => e.Hash).ToArray());
    }
}
