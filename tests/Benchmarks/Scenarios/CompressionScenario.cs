using Actors.Persistence.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 11 (issue #17): grain records with <see cref="RecordCompression.Brotli"/> against plain ones, in the same run
/// (rounds interleaved, medians): append, replay and the bytes the log holds.
/// </summary>
internal sealed class CompressionScenario : PayloadVariantsScenario
{
    public override int Number => 11;

    public override string Key => "compression";

    public override string Title => "Record compression (Brotli) vs plain: append, replay, size";

    protected override IReadOnlyList<PayloadVariant> Variants { get; } =
    [
        new("None", RecordCompression.None, null),
        new("Brotli", RecordCompression.Brotli, null),
    ];
}
