using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// Concurrent writers, then a torn group write at a random byte: after reopening, every acknowledged batch is
/// present and an unacknowledged batch is either entirely present or entirely absent.
/// </summary>
public sealed class TornWriteCrashTests : LogTestBase
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task TornGroupWrite_Reopen_AcknowledgedKeptAndUnacknowledgedAllOrNothing(int seed)
    {
        var random = new Random(seed);
        var fs = new FaultInjectingFileSystem(EventLogFaultLayout.Instance);
        const int Writers = 16;
        var acked = new List<string>[Writers];
        var inFlight = new string[]?[Writers];
        int tearAfterAppends = random.Next(20, 200);
        int tearKeepBytes = random.Next(0, 3000);
        int totalAcked = 0;
        await using (var log = await OpenAsync(fileSystem: fs))
        {
            var tasks = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                var writerRandom = new Random(seed * 100 + w);
                acked[w] = [];
                while (true)
                {
                    string[] batch = Enumerable.Range(0, writerRandom.Next(1, 4)).Select(i => $"w{w}-{acked[w].Count + i}-" + new string('p', writerRandom.Next(1, 400))).ToArray();
                    if (Interlocked.Increment(ref totalAcked) == tearAfterAppends)
                    {
                        fs.TearNextWriteAfter = tearKeepBytes;
                    }

                    try
                    {
                        await log.AppendAsync($"w{w}", acked[w].Count, batch.Select(Bytes).ToArray());
                        acked[w].AddRange(batch);
                    }
                    catch (LogFailedException)
                    {
                        inFlight[w] = batch;
                        return;
                    }
                }
            })).ToArray();
            await Task.WhenAll(tasks);
        }

        await using var reopened = await OpenAsync();
        for (int w = 0; w < Writers; w++)
        {
            var events = (await reopened.ReadStreamAsync($"w{w}")).Events.Select(e => Text(e.Payload)).ToList();
            Assert.True(events.Count >= acked[w].Count, $"seed {seed}: writer {w} lost acknowledged events ({events.Count} < {acked[w].Count})");
            Assert.Equal(acked[w], events.Take(acked[w].Count));
            var extra = events.Skip(acked[w].Count).ToList();
            Assert.True(extra.Count == 0 || extra.SequenceEqual(inFlight[w]!), $"seed {seed}: writer {w} has a partial unacknowledged batch ({extra.Count} extra events)");
        }
    }
}
