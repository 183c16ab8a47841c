namespace Actors.Persistence.Wal.Tests.Support;

/// <summary>
/// A measurement, not a test: skipped unless the environment variable <c>ACTORS_MEASURE=1</c> is set, so CI stays
/// fast. It prints figures and asserts only correctness, never timing.
/// </summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ACTORS_MEASURE") != "1")
        {
            Skip = "Measurement: run with ACTORS_MEASURE=1.";
        }
    }
}
