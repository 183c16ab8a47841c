using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Actors.Wal.Tests.Properties;

/// <summary>FsCheck generators and shrinkers for operation sequences, and the fixed-seed run configuration.</summary>
internal static class OperationGenerators
{
    /// <summary>The streams operations touch; the last one is invalid (empty) and must always be rejected.</summary>
    public static readonly string[] StreamIds = ["a", "b", "c/1", "ü-d", ""];

    /// <summary>The number of valid streams at the start of <see cref="StreamIds"/>.</summary>
    public const int ValidStreams = 4;

    /// <summary>The record size limit of the logs under test: some generated payloads exceed it.</summary>
    public const int MaxRecordSizeBytes = 40;

    private static readonly Gen<int> AnyStream = Gen.Frequency((30, Gen.Choose(0, ValidStreams - 1)), (1, Gen.Constant(ValidStreams)));

    private static readonly Gen<ExpectedVersionChoice> Expected = Gen.Frequency(
        (12, Gen.Constant(ExpectedVersionChoice.Current)),
        (3, Gen.Constant(ExpectedVersionChoice.Any)),
        (1, Gen.Constant(ExpectedVersionChoice.NoStream)),
        (1, Gen.Constant(ExpectedVersionChoice.Stale)),
        (1, Gen.Constant(ExpectedVersionChoice.Ahead)),
        (1, Gen.Constant(ExpectedVersionChoice.Invalid)));

    private static readonly Gen<int> PayloadSize = Gen.Frequency((12, Gen.Choose(0, MaxRecordSizeBytes)), (1, Gen.Choose(MaxRecordSizeBytes + 1, MaxRecordSizeBytes + 8)));

    /// <summary>One operation; crashes only when <paramref name="withCrashes"/>.</summary>
    public static Gen<LogOperation> Operation(bool withCrashes)
    {
        var append =
            from stream in AnyStream
            from expected in Expected
            from count in Gen.Frequency((10, Gen.Choose(1, 4)), (1, Gen.Constant(0)))
            from size in PayloadSize
            select (LogOperation)new AppendOperation(stream, expected, count, size);
        var checkpoint =
            from stream in AnyStream
            from back in Gen.Choose(-1, 4)
            from size in PayloadSize
            select (LogOperation)new CheckpointOperation(stream, back, size);
        var delete =
            from stream in AnyStream
            from expected in Expected
            select (LogOperation)new DeleteOperation(stream, expected);
        var advance = Gen.Choose(0, 5).Select(s => (LogOperation)new AdvanceClockOperation(s));
        var readAtVersion =
            from stream in AnyStream
            from version in Gen.Choose(0, 20)
            select (LogOperation)new ReadAtVersionOperation(stream, version);
        var readAtTime =
            from stream in AnyStream
            from seconds in Gen.Choose(-1, 120)
            select (LogOperation)new ReadAtTimeOperation(stream, seconds);
        var readEvents =
            from stream in AnyStream
            from first in Gen.Choose(0, 16)
            from last in Gen.Choose(0, 20)
            select (LogOperation)new ReadEventsOperation(stream, first, last);
        var crash =
            from pending in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 4)))
            from damage in Gen.Frequency(
                (1, Gen.Constant(CrashDamage.None)),
                (3, Gen.Constant(CrashDamage.Truncate)),
                (3, Gen.Constant(CrashDamage.ZeroTail)),
                (2, Gen.Constant(CrashDamage.AppendZeros)))
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select (LogOperation)new CrashOperation(pending, damage, seed);

        var choices = new List<(int, Gen<LogOperation>)>
        {
            (30, append), (6, checkpoint), (4, delete), (6, advance), (5, readAtVersion), (5, readAtTime), (5, readEvents),
        };
        if (withCrashes)
        {
            choices.Add((5, crash));
        }

        return Gen.Frequency(choices);
    }

    /// <summary>Sequences of 1 to <paramref name="maxLength"/> operations, shrinking by halves and by single removals.</summary>
    public static Arbitrary<LogOperation[]> Sequences(bool withCrashes, int maxLength) =>
        Arb.From(Gen.Choose(1, maxLength).SelectMany(n => Operation(withCrashes).ArrayOf(n)), Shrink);

    /// <summary>A quiet, throw-on-failure configuration with a fixed seed and a bounded number of cases.</summary>
    public static Config FixedSeed(ulong seed, int cases) =>
        Config.QuickThrowOnFailure
            .WithMaxTest(cases)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)));

    private static IEnumerable<LogOperation[]> Shrink(LogOperation[] operations)
    {
        if (operations.Length <= 1)
        {
            yield break;
        }

        yield return operations[..(operations.Length / 2)];
        yield return operations[(operations.Length / 2)..];
        for (int i = operations.Length - 1; i >= 0; i--)
        {
            yield return [.. operations[..i], .. operations[(i + 1)..]];
        }
    }
}
